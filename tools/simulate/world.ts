import type { LedgerContext } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import type { Actor } from '@salur/kernel';
import type { JobOrigin } from '@salur/queue';
import type { LedgerDirectory } from './ledger-directory';
import type { SeededRandom } from './seeded-random';
import type { SimulatedBank } from './simulated-bank';
import type { SimulatedClock } from './simulated-clock';
import type { SimulatedJobs } from './simulated-jobs';
import type { SimulatedService } from './simulated-service';

/** The people (and the bank's host-to-host link) acting on the ledger. */
export const CAST = {
  programmeOfficers: [
    { userId: 'po-ani', role: 'programme-officer' },
    { userId: 'po-dewi', role: 'programme-officer' },
  ],
  enrolmentOfficers: [{ userId: 'eo-rudi', role: 'enrolment-officer' }],
  financeOfficers: [
    { userId: 'fo-siti', role: 'finance-officer' },
    { userId: 'fo-budi', role: 'finance-officer' },
    { userId: 'fo-yuli', role: 'finance-officer' },
  ],
  bankLink: { userId: 'bank-h2h', role: 'bank-integration' },
} as const satisfies Record<string, Actor | readonly Actor[]>;

/** What the users remember between steps (a crash of the service does not erase it). */
export interface UserMemory {
  /** Serial numbers of the NIKs enrolled so far, per programme. */
  readonly enrolledSerials: Map<string, number[]>;
  nextSerial: number;
}

/** Everything one step can touch; `service` is replaced on every restart. */
export interface World {
  readonly store: EventStore;
  service: SimulatedService;
  readonly jobs: SimulatedJobs;
  readonly bank: SimulatedBank;
  readonly random: SeededRandom;
  readonly clock: SimulatedClock;
  readonly directory: LedgerDirectory;
  readonly memory: UserMemory;
  readonly bankFilesDir: string;
  step: number;
  /** Set by a restart: the jobs the crash cut short are to be run again. */
  recoveryOwed: boolean;
  /** What is running now, for the trace. */
  acting: string;
}

export function contextOf(world: World, actor: Actor): LedgerContext {
  return {
    actor,
    now: world.clock.now(),
    correlationId: world.random.uuid(),
    causationId: world.random.uuid(),
  };
}

export function originOf(world: World, actor: Actor): JobOrigin {
  return { actor, correlationId: world.random.uuid() };
}

/** Jobs here report progress to nobody. */
export const NO_PROGRESS = async (): Promise<void> => undefined;
