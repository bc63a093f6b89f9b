import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Metrics } from '@salur/observability';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import {
  ROUND_STAGES,
  type RoundProgressDatabase,
  roundProgressDatabase,
  type RoundRow,
} from './round-progress.tables';

/** A payment in one of these stages needs nothing more; any other keeps its round open. */
const SETTLED_STAGES = ['credited', 'reissued', 'reversed'] as const satisfies readonly (keyof RoundRow)[];

/**
 * Rounds for the metrics: how many are open, each open round's payments by stage, how many are
 * outstanding and how long since it last moved (the stuck-round alert). Settled rounds leave the
 * gauges, so the series stay as few as the rounds in flight.
 */
@Injectable()
export class RoundGauges implements OnModuleInit {
  private readonly db: RoundProgressDatabase;

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.db = roundProgressDatabase(db);
  }

  onModuleInit(): void {
    this.metrics?.readGauges(
      'rounds',
      ['roundsOpen', 'roundPayments', 'roundOutstanding', 'roundIdle'],
      async (gauges) => {
        const rounds = await this.db.selectFrom('roundProgressRounds').selectAll().execute();
        const now = Date.now();
        let open = 0;
        for (const round of rounds) {
          const outstanding = round.payments - SETTLED_STAGES.reduce((sum, stage) => sum + round[stage], 0);
          if (outstanding <= 0) continue;
          open++;
          const labels = { round: round.id, programme: round.programmeId, period: round.period };
          gauges.set('roundOutstanding', labels, outstanding);
          gauges.set('roundIdle', labels, Math.max(0, (now - Date.parse(round.updatedAt)) / 1_000));
          for (const stage of ROUND_STAGES) gauges.set('roundPayments', { ...labels, stage }, round[stage]);
        }
        gauges.set('roundsOpen', {}, open);
      },
    );
  }
}
