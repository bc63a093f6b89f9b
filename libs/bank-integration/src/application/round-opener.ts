import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { DomainError, formatAmount, invalid, notFound } from '@salur/kernel';
import { isPeriod, paymentDecider, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { forEachLimited, ReportProgress } from './job-context';
import { activeBeneficiariesOf } from './ledger-scan';

/** Beneficiaries scheduled between two progress reports (and the checkpoint a retry resumes from). */
export const OPEN_ROUND_CHUNK = 1_000;
/** Payments scheduled at once: the event store serialises appends anyway; this hides read latency. */
const SCHEDULE_CONCURRENCY = 4;

export interface OpenRoundResult {
  readonly total: number;
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  /** A payment for the period exists with another amount (the benefit changed): left as it is. */
  readonly conflicting: number;
}

/**
 * Opens a round: one payment per active beneficiary for the programme and period, with the
 * programme's benefit amount. The payment id is derived from (programme, period, beneficiary),
 * so a retry after a crash at any point finds the payments it already scheduled and creates
 * none twice; `resumeFrom` (the last reported progress) only saves the re-reading.
 */
@Injectable()
export class RoundOpener {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async open(
    round: { programmeId: string; period: string },
    context: LedgerContext,
    report: ReportProgress,
    resumeFrom = 0,
  ): Promise<OpenRoundResult> {
    const { programmeId, period } = round;
    if (!isPeriod(period)) throw invalid('INVALID_PERIOD', `Period '${period}' is not YYYY-MM or YYYY-Qn`, 'period');
    const programme = await loadStream(this.store, programmeStreamName(programmeId), programmeDecider);
    if (programme.state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    const amount = formatAmount(programme.state.benefitAmount);
    const beneficiaryIds = await activeBeneficiariesOf(this.store, programmeId);
    const counts = { scheduled: 0, alreadyScheduled: 0, conflicting: 0 };
    const start = Math.min(resumeFrom - (resumeFrom % OPEN_ROUND_CHUNK), beneficiaryIds.length);
    for (let offset = start; offset < beneficiaryIds.length; offset += OPEN_ROUND_CHUNK) {
      const chunk = beneficiaryIds.slice(offset, offset + OPEN_ROUND_CHUNK);
      await forEachLimited(chunk, SCHEDULE_CONCURRENCY, async (beneficiaryId) => {
        counts[await this.schedule(programmeId, period, beneficiaryId, amount, context)]++;
      });
      await report({ done: offset + chunk.length, total: beneficiaryIds.length, ...counts });
    }
    if (beneficiaryIds.length === 0) await report({ done: 0, total: 0, ...counts });
    return { total: beneficiaryIds.length, ...counts };
  }

  private async schedule(
    programmeId: string,
    period: string,
    beneficiaryId: string,
    amount: string,
    context: LedgerContext,
  ): Promise<'scheduled' | 'alreadyScheduled' | 'conflicting'> {
    const paymentId = paymentIdFor(programmeId, period, beneficiaryId);
    try {
      const outcome = await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        { type: 'SchedulePayment', data: { paymentId, programmeId, period, beneficiaryId, amount }, context },
        { metadata: metadataOf(context) },
      );
      return outcome.events.length > 0 ? 'scheduled' : 'alreadyScheduled';
    } catch (error) {
      if (error instanceof DomainError && error.code === 'PAYMENT_EXISTS') return 'conflicting';
      throw error;
    }
  }
}
