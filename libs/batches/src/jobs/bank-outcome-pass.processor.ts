import { Inject, Injectable } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig } from '@salur/application';
import { BANK_QUEUES, type JobProcessor } from '@salur/queue';
import type { Job } from 'bullmq';
import { BankOutcomePass, type BankOutcomePassResult } from '../application/bank-outcome-pass';

/**
 * Runs the scheduled pass (BankOutcomePass) every BANK_OUTCOME_PASS_INTERVAL seconds, as a BullMQ
 * job scheduler on this ledger's queues: one run per tick for every process that runs workers,
 * not one per process. A pass with failed steps fails its job (listed by GET /jobs/failed); the
 * next tick tries those steps again.
 */
@Injectable()
export class BankOutcomePassProcessor implements JobProcessor<Record<string, never>, BankOutcomePassResult> {
  readonly queueName = BANK_QUEUES.bankOutcomePass;
  readonly concurrency = 1;
  readonly schedule: { readonly everyMs: number };

  constructor(
    private readonly pass: BankOutcomePass,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.schedule = { everyMs: config.bankOutcomePassIntervalMs };
  }

  async process(_job: Job<Record<string, never>, BankOutcomePassResult>): Promise<BankOutcomePassResult> {
    const result = await this.pass.run();
    if (result.failed > 0) throw new Error(`${result.failed} step(s) failed: ${JSON.stringify(result)}`);
    return result;
  }
}
