import type { EventStore, GlobalPosition } from '@salur/event-store';

export interface KnownRound {
  readonly programmeId: string;
  readonly period: string;
}

/**
 * What the simulated users know exists, read from the log as it grows (as they would learn it from
 * the read models): ids only. Whatever they act on, they load from its stream through the real
 * decider at the moment they act, so the directory never decides anything.
 */
export class LedgerDirectory {
  readonly programmes: string[] = [];
  /** Per programme, its beneficiaries in enrolment order. */
  readonly beneficiaries = new Map<string, string[]>();
  /** Per `programmeId/period`, the round's payments. */
  readonly payments = new Map<string, string[]>();
  readonly rounds: KnownRound[] = [];
  readonly batches: string[] = [];
  /** Every payment, in scheduling order. */
  readonly allPayments: string[] = [];
  private position: GlobalPosition | undefined;

  async catchUp(store: EventStore): Promise<void> {
    for await (const event of store.readAll({ from: this.position })) {
      this.position = event.position;
      const data = event.data as Record<string, string>;
      switch (event.type) {
        case 'ProgrammeCreated':
          this.programmes.push(data.programmeId);
          break;
        case 'BeneficiaryEnrolled':
          listOf(this.beneficiaries, data.programmeId).push(data.beneficiaryId);
          break;
        case 'PaymentScheduled': {
          const key = `${data.programmeId}/${data.period}`;
          if (!this.payments.has(key)) this.rounds.push({ programmeId: data.programmeId, period: data.period });
          listOf(this.payments, key).push(data.paymentId);
          this.allPayments.push(data.paymentId);
          break;
        }
        case 'BatchCreationStarted':
          this.batches.push(data.batchId);
          break;
      }
    }
  }

  paymentsOf(round: KnownRound): readonly string[] {
    return this.payments.get(`${round.programmeId}/${round.period}`) ?? [];
  }
}

function listOf(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
