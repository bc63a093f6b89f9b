import { scanLog } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import type { BeneficiaryEvent } from '@salur/beneficiaries/domain';

export interface RoundScan {
  /** Sorted. */
  readonly activeBeneficiaryIds: string[];
  /** The payments of the period already scheduled (before a crash, or one by one), with their amounts. */
  readonly scheduledAmounts: ReadonlyMap<string, string>;
}

/**
 * Who is in a round and which of its payments exist, in one pass over the log: a round of a
 * million reads the log once, not once for the beneficiaries and once per payment stream.
 */
export async function roundScan(
  store: EventStore,
  programmeId: string,
  period: string | undefined,
): Promise<RoundScan> {
  const status = new Map<string, boolean>();
  const scheduledAmounts = new Map<string, string>();
  await scanLog(store, (type, data) => {
    if (data.programmeId !== programmeId) return;
    if (type === 'PaymentScheduled') {
      if (data.period === period) scheduledAmounts.set(String(data.paymentId), String(data.amount));
      return;
    }
    if (typeof data.beneficiaryId !== 'string') return;
    switch (type as BeneficiaryEvent['type']) {
      case 'BeneficiaryEnrolled':
      case 'BeneficiaryReinstated':
        status.set(data.beneficiaryId, true);
        break;
      case 'BeneficiarySuspended':
      case 'BeneficiaryExited':
        status.set(data.beneficiaryId, false);
        break;
    }
  });
  const activeBeneficiaryIds: string[] = [];
  for (const [beneficiaryId, active] of status) if (active) activeBeneficiaryIds.push(beneficiaryId);
  status.clear();
  return { activeBeneficiaryIds: activeBeneficiaryIds.sort(), scheduledAmounts };
}

/** The ids of every payment scheduled for the round, sorted. */
export async function paymentsOfRound(store: EventStore, programmeId: string, period: string): Promise<string[]> {
  const ids: string[] = [];
  await scanLog(store, (type, data) => {
    if (type === 'PaymentScheduled' && data.programmeId === programmeId && data.period === period) {
      ids.push(String(data.paymentId));
    }
  });
  return ids.sort();
}
