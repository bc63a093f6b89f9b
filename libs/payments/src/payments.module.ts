import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PAYMENT_HANDLERS } from './application/payment.handlers';
import { PaymentReissue } from './application/payment-reissue';
import { OpenRoundProcessor } from './jobs/open-round.processor';
import { RoundOpener } from './application/round-opener';
import { BalancesController } from './http/balances.controller';
import { PaymentsController } from './http/payments.controller';
import { RoundsController } from './http/rounds.controller';
import { BalanceAsOfQueries } from './read-models/balance-as-of.queries';
import { BalanceQueries } from './read-models/balance.queries';
import { PaymentQueries } from './read-models/payment.queries';
import { balancesProjection } from './read-models/balances.projection';
import { RoundGauges } from './read-models/round-gauges';
import { RoundProgressQueries } from './read-models/round-progress.queries';
import { roundProgressProjection } from './read-models/round-progress.projection';

/** The use cases a payments job runs (opening a round), for the workers (JobsModule.workers). */
@Module({ providers: [RoundOpener], exports: [RoundOpener] })
export class PaymentJobsModule {}

/**
 * Payments and rounds over HTTP: commands, the payment list, balances and round progress. Needs
 * EVENT_STORE, the read models (ProjectionsModule) and the jobs (JobsModule).
 */
@Module({
  imports: [CqrsModule, PaymentJobsModule],
  controllers: [PaymentsController, BalancesController, RoundsController],
  providers: [
    ...PAYMENT_HANDLERS,
    PaymentReissue,
    PaymentQueries,
    BalanceQueries,
    BalanceAsOfQueries,
    RoundProgressQueries,
    RoundGauges,
  ],
})
export class PaymentsModule {}

/** What the payments capability gives the apps to run (the lists: libs/ledger). */
export const PAYMENT_PROJECTIONS = [balancesProjection, roundProgressProjection];
export const PAYMENT_JOB_PROCESSORS = [OpenRoundProcessor];
