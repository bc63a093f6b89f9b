import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig } from '@salur/application';
import { EventStore, GlobalPosition, RAW_EVENT_STORE } from '@salur/event-store';
import { PersonalDataVault } from '@salur/personal-data';
import { beneficiaryStreamName } from '../domain';

/** Events read per page while catching up with the log. */
const READ_PAGE = 5_000;
/** Keys deleted per pass: the next pass takes the rest. */
const MAX_ERASED_PER_PASS = 10_000;

export interface ErasurePassResult {
  /** Beneficiaries erased in the log whose key this pass found still held. */
  readonly found: number;
  /** Of those, whose key this pass deleted. */
  readonly erased: number;
  readonly failed: number;
}

/**
 * Finishes erasures a crash interrupted: every beneficiary whose stream ends with
 * BeneficiaryErased has their key deleted, whether or not the approving process lived to do it.
 * Runs at start-up and every WORKFLOW_INTERVAL, as the batch workflows do (0: the tests drive it).
 * It follows the log from where it last stopped (the raw store: the erasure event carries no
 * sealed field, so nothing is opened), and keeps in memory only the erasures not yet confirmed.
 * Deleting a key twice is harmless (a tombstone stays a tombstone).
 */
@Injectable()
export class BeneficiaryErasurePass implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BeneficiaryErasurePass');
  /** Subject → the erasure's instant, until its key is confirmed gone. */
  private readonly pending = new Map<string, string>();
  private position: GlobalPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<ErasurePassResult> | undefined;
  private stopped = false;

  constructor(
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly vault: PersonalDataVault,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workflowIntervalMs === 0) return;
    this.timer = setInterval(() => void this.run(), this.config.workflowIntervalMs);
    // The interval alone never keeps a process alive.
    this.timer.unref();
    void this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  /** One pass at a time; a call during a pass waits for it. Never throws: the next pass retries. */
  run(): Promise<ErasurePassResult> {
    this.pass ??= this.runOnce()
      .catch((error: Error) => {
        this.logger.warn(`Erasure pass failed (the next one retries): ${error.message}`);
        return { found: 0, erased: 0, failed: 0 };
      })
      .finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async runOnce(): Promise<ErasurePassResult> {
    await this.catchUp();
    let found = 0;
    let erased = 0;
    let failed = 0;
    for (const [subject, at] of [...this.pending].slice(0, MAX_ERASED_PER_PASS)) {
      if (this.stopped) break;
      try {
        if (await this.vault.holdsKey(subject)) {
          found++;
          await this.vault.erase(subject, at);
          erased++;
        }
        this.pending.delete(subject);
      } catch (error) {
        failed++;
        this.logger.warn(`Erasing the key of ${subject}: ${(error as Error).message}`);
      }
    }
    if (erased > 0) this.logger.log(`Deleted ${erased} erased beneficiaries' key(s) a crash had left`);
    return { found, erased, failed };
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      let read = 0;
      for await (const event of this.store.readAll({ from: this.position, maxCount: READ_PAGE })) {
        if (event.type === 'BeneficiaryErased' && typeof event.data.beneficiaryId === 'string') {
          this.pending.set(beneficiaryStreamName(event.data.beneficiaryId), String(event.data.at));
        }
        this.position = event.position;
        read++;
      }
      if (read < READ_PAGE || this.stopped) return;
    }
  }
}
