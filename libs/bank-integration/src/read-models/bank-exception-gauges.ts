import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Metrics } from '@salur/observability';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { bankExceptionsDatabase, type BankExceptionsDatabase } from './bank-exceptions.tables';

/** Unresolved reconciliation exceptions and the age of the oldest (the alert: older than a day). */
@Injectable()
export class BankExceptionGauges implements OnModuleInit {
  private readonly db: BankExceptionsDatabase;

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.db = bankExceptionsDatabase(db);
  }

  onModuleInit(): void {
    this.metrics?.readGauges('bank-exceptions', ['bankExceptionsOpen', 'bankExceptionOldestAge'], async (gauges) => {
      const row = await this.db
        .selectFrom('bankExceptionsItems')
        .select((eb) => [eb.fn.countAll<number | string>().as('open'), eb.fn.min('raisedAt').as('oldest')])
        .where('status', '!=', 'resolved')
        .executeTakeFirstOrThrow();
      gauges.set('bankExceptionsOpen', {}, Number(row.open));
      const oldest = row.oldest === null ? undefined : Date.parse(String(row.oldest));
      gauges.set('bankExceptionOldestAge', {}, oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1_000));
    });
  }
}
