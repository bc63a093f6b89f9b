import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@salur/event-store';
import { ruleBroken } from '@salur/kernel';
import {
  type AsOf,
  projectInMemory,
  ProjectionStatusService,
  readAfter,
  resolveAsOf,
  type ResolvedAsOf,
} from '@salur/projections';
import { paymentStreamName } from '../domain';
import { figuresOf, NO_FIGURES } from './balance-figures';
import { BalanceQueries, type BalancePaymentView, type BalanceView } from './balance.queries';
import { balancesProjection } from './balances.projection';
import { balanceIdOf, BALANCES_TABLES, type BalancePaymentRow, type BalanceRow } from './balances.tables';

export type BalanceAsOf = BalanceView & { readonly asOf: ResolvedAsOf };

/** Most events one balance-as-of folds: a beneficiary's payments are few; this is a guard. */
export const MAX_BALANCE_AS_OF_EVENTS = 100_000;

/**
 * A balance as it stood at a past position or instant, computed from the log with the balances'
 * own pure read models (the same evolve functions as the tables), never from the tables' current
 * figures. It folds the beneficiary's payment streams up to the point: few events. Which payments
 * are theirs comes from the balances table (a payment's beneficiary never changes), so the
 * projection must have reached the point first (readAfter).
 */
@Injectable()
export class BalanceAsOfQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly status: ProjectionStatusService,
    private readonly balances: BalanceQueries,
  ) {}

  async balance(programmeId: string, beneficiaryId: string, asOf: AsOf): Promise<BalanceAsOf> {
    const resolved = await resolveAsOf(this.store, asOf);
    await readAfter(this.status, resolved.position, [balancesProjection.name]);
    const paymentIds = await this.balances.paymentIds(programmeId, beneficiaryId);
    const events: RecordedEvent[] = [];
    for (const paymentId of paymentIds) {
      for await (const event of this.store.readStream(paymentStreamName(paymentId))) {
        if (event.position > resolved.position) break;
        events.push(event);
        if (events.length > MAX_BALANCE_AS_OF_EVENTS) {
          throw ruleBroken('AS_OF_TOO_LARGE', `More than ${MAX_BALANCE_AS_OF_EVENTS} events to fold`);
        }
      }
    }
    events.sort((left, right) => left.position - right.position);
    const tables = projectInMemory(balancesProjection, events);
    const id = balanceIdOf(programmeId, beneficiaryId);
    const stored = tables.get(BALANCES_TABLES.beneficiaries)?.get(id);
    const row: BalanceRow = (stored?.row as BalanceRow | undefined) ?? {
      id,
      programmeId,
      beneficiaryId,
      payments: 0,
      ...NO_FIGURES,
      updatedAt: '',
    };
    const paymentList: BalancePaymentView[] = [...(tables.get(BALANCES_TABLES.payments)?.values() ?? [])]
      .map((payment) => payment.row as BalancePaymentRow)
      .sort((left, right) =>
        left.period === right.period ? compare(left.id, right.id) : compare(left.period, right.period),
      )
      .map((payment) => ({ ...payment, figures: figuresOf(payment) }));
    return { ...row, paymentList, asOf: resolved };
  }
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
