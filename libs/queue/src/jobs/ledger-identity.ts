import { randomUUID } from 'node:crypto';
import { handleCommand, type LedgerContext, metadataOf } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import { type CommandContext, type Decider, type DomainEvent, eventRegistry } from '@salur/kernel';

/*
 * The ledger's own identity, a fact in its own store: whichever process (API or worker) starts
 * first writes `LedgerIdentified` on the `ledger` stream, expecting the stream not to exist;
 * everyone else, and every later start, reads it back. Its queues live under it in Redis
 * (QueueNaming), so two ledgers sharing one Redis and one QUEUE_PREFIX never see each other's
 * jobs, whatever their programmes, periods and job ids.
 */

export const LEDGER_STREAM = 'ledger';

export type LedgerIdentified = DomainEvent<'LedgerIdentified', { ledgerId: string; at: string }>;

/** The ledger stream's event types, for readers of the log (see toDomainEvent). */
export const LEDGER_EVENTS = eventRegistry<LedgerIdentified>({ LedgerIdentified: true });

export interface IdentifyLedger {
  readonly type: 'IdentifyLedger';
  readonly data: { readonly ledgerId: string };
  readonly context: CommandContext;
}

export interface LedgerIdentityState {
  readonly ledgerId?: string;
}

/** The first identity stands: a second process proposing its own finds it and writes nothing. */
export const ledgerIdentityDecider: Decider<IdentifyLedger, LedgerIdentityState, LedgerIdentified> = {
  initialState: {},
  events: LEDGER_EVENTS,
  decide: ({ data, context }, state) =>
    state.ledgerId === undefined
      ? [{ type: 'LedgerIdentified', data: { ledgerId: data.ledgerId, at: context.now } }]
      : [],
  evolve: (state, event) => (state.ledgerId === undefined ? { ledgerId: event.data.ledgerId } : state),
};

/** Who writes the identity: the ledger itself, at start-up, asked by nobody. */
const LEDGER_ACTOR = { userId: 'salur-ledger', role: 'admin' } as const;

/** This ledger's id: the one recorded in its store, or `proposedId`, recorded now, if there is none. */
export async function identifyLedger(
  store: EventStore,
  proposedId: string = randomUUID(),
  now: string = new Date().toISOString(),
): Promise<string> {
  const context: LedgerContext = { actor: LEDGER_ACTOR, now, correlationId: proposedId, causationId: proposedId };
  const { state } = await handleCommand(
    store,
    LEDGER_STREAM,
    ledgerIdentityDecider,
    { type: 'IdentifyLedger', data: { ledgerId: proposedId }, context },
    { metadata: metadataOf(context) },
  );
  if (state.ledgerId === undefined) throw new Error(`The ${LEDGER_STREAM} stream holds no identity after writing one`);
  return state.ledgerId;
}

/** The BullMQ key prefix of a ledger's queues: QUEUE_PREFIX, then the ledger's id. */
export function ledgerQueuePrefix(prefix: string, ledgerId: string): string {
  return `${prefix}:${ledgerId}`;
}

/**
 * Where this ledger's jobs live in Redis. Every Queue and Worker of the ledger (BankJobs, so
 * GET /jobs/:id and JobRecovery; the workers of JobsModule.workers) takes its prefix from here.
 * Keys stay under `${QUEUE_PREFIX}:`, so whatever cleans a prefix cleans every ledger under it.
 */
export class QueueNaming {
  readonly prefix: string;

  constructor(
    readonly basePrefix: string,
    readonly ledgerId: string,
  ) {
    this.prefix = ledgerQueuePrefix(basePrefix, ledgerId);
  }

  /** Reads (or, first of all, writes) the store's identity. */
  static async of(store: EventStore, basePrefix: string): Promise<QueueNaming> {
    return new QueueNaming(basePrefix, await identifyLedger(store));
  }
}
