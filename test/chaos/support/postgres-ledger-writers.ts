import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { isConnectionLost, type EventStore, type RecordedEvent } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import { ProgrammeCommand, programmeDecider, programmeStreamName } from '@salur/programmes/domain';

export type CommandKind = 'create' | 'reserve' | 'release';

export type Outcome =
  | { readonly kind: 'acknowledged'; readonly position: number }
  /** The decider refused it (budget exceeded, …): nothing may have been written. */
  | { readonly kind: 'refused'; readonly code: string }
  /** The store failed (connection lost, conflicts exhausted): written at most once, maybe not at all. */
  | { readonly kind: 'failed'; readonly message: string; readonly connectionLost: boolean };

/** One command a writer issued, and what its caller saw. */
export interface IssuedCommand {
  readonly kind: CommandKind;
  /** Names the command's one event in the log: programme id, reservation id or release id. */
  readonly key: string;
  readonly programmeId: string;
  readonly command: ProgrammeCommand;
  outcome?: Outcome;
}

export const FISCAL_YEAR = 2026;
/** Low enough that the concurrent reservations run into it: refusals are part of the workload. */
export const BUDGET_CEILING = '200000.00';
const BENEFIT = '600.00';
const CREATE_SHARE = 0.1;
const RELEASE_SHARE = 0.2;

const CONTEXT: LedgerContext = {
  actor: { userId: 'finance-officer-chaos', role: 'finance-officer' },
  now: '2026-06-01T00:00:00.000Z',
  correlationId: 'postgres-terminate-chaos',
  causationId: 'postgres-terminate-chaos',
};

export function createProgramme(code: string): IssuedCommand {
  const programmeId = `${code}-${FISCAL_YEAR}`;
  return {
    kind: 'create',
    key: programmeId,
    programmeId,
    command: {
      type: 'CreateProgramme',
      context: CONTEXT,
      data: {
        programmeId,
        code,
        name: `Chaos ${code}`,
        fiscalYear: FISCAL_YEAR,
        budgetCeiling: BUDGET_CEILING,
        benefitAmount: BENEFIT,
        currency: 'IDR',
      },
    },
  };
}

function reserve(programmeId: string, id: string, amount: string): IssuedCommand {
  const reservationId = `res-${id}`;
  return {
    kind: 'reserve',
    key: reservationId,
    programmeId,
    command: {
      type: 'ReserveBudget',
      context: CONTEXT,
      data: { programmeId, reservationId, batchId: `batch-${id}`, amount },
    },
  };
}

function release(reservation: IssuedCommand, id: string): IssuedCommand {
  const releaseId = `rel-${id}`;
  const data = reservation.command.data as { reservationId: string; amount: string };
  return {
    kind: 'release',
    key: releaseId,
    programmeId: reservation.programmeId,
    command: {
      type: 'ReleaseBudget',
      context: CONTEXT,
      data: {
        programmeId: reservation.programmeId,
        releaseId,
        reservationId: data.reservationId,
        amount: data.amount,
        reason: 'batch cancelled',
      },
    },
  };
}

/** Runs one command through the one command path (load, decide, append, retry on conflict). */
export async function issue(store: EventStore, issued: IssuedCommand): Promise<Outcome> {
  try {
    const outcome = await handleCommand(
      store,
      programmeStreamName(issued.programmeId),
      programmeDecider,
      issued.command,
      { metadata: metadataOf(CONTEXT) },
    );
    // A retried command whose event is already in the stream writes nothing and has no position.
    issued.outcome =
      outcome.position === undefined
        ? { kind: 'refused', code: 'ALREADY_DONE' }
        : { kind: 'acknowledged', position: outcome.position };
  } catch (error) {
    issued.outcome =
      error instanceof DomainError
        ? { kind: 'refused', code: error.code }
        : {
            kind: 'failed',
            message: error instanceof Error ? error.message : String(error),
            connectionLost: isConnectionLost(error),
          };
  }
  return issued.outcome;
}

export interface WriterOptions {
  readonly writers: number;
  /** The shared programmes the writers reserve on and release from: contention on purpose. */
  readonly programmeIds: readonly string[];
  readonly maxCommandsPerWriter: number;
  readonly shouldStop: () => boolean;
}

/**
 * Concurrent writers, each issuing one command at a time until told to stop: mostly reservations
 * on the shared programmes (so appends race and retry), releases of their own acknowledged
 * reservations, and now and then a new programme (a new stream). Every command has its own key.
 */
export async function runWriters(store: EventStore, options: WriterOptions): Promise<IssuedCommand[]> {
  const issued: IssuedCommand[] = [];
  const writer = async (w: number) => {
    const releasable: IssuedCommand[] = [];
    for (let i = 0; i < options.maxCommandsPerWriter && !options.shouldStop(); i++) {
      const id = `w${w}-${i}`;
      const draw = Math.random();
      const command =
        draw < CREATE_SHARE
          ? createProgramme(`CHAOS-W${w}-${i}`)
          : draw < CREATE_SHARE + RELEASE_SHARE && releasable.length > 0
            ? release(releasable.splice(Math.floor(Math.random() * releasable.length), 1)[0], id)
            : reserve(
                options.programmeIds[Math.floor(Math.random() * options.programmeIds.length)],
                id,
                randomAmount(),
              );
      issued.push(command);
      const outcome = await issue(store, command);
      if (command.kind === 'reserve' && outcome.kind === 'acknowledged') releasable.push(command);
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  return issued;
}

/** 1.00 to 9,999.99 rupiah, as a decimal string. */
function randomAmount(): string {
  const cents = 100 + Math.floor(Math.random() * 999_900);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** The key of a log event written by these commands, or undefined for any other event. */
export function keyOf(event: RecordedEvent): string | undefined {
  switch (event.type) {
    // A programme's creation writes ProgrammeCreated, its schedule, its approval policy and its
    // personal-data retention: the command's answer names the position of the last.
    case 'PersonalDataRetentionDeclared':
      return String(event.data.programmeId);
    case 'BudgetReserved':
      return String(event.data.reservationId);
    case 'BudgetReleased':
      return String(event.data.releaseId);
    default:
      return undefined;
  }
}
