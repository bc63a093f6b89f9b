import { Logger } from '@nestjs/common';
import { checkLedger, type Violation } from '@salur/invariants';
import { DomainError } from '@salur/kernel';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USER_ACTIONS } from './actions';
import { CrashInjection, SimulatedCrash } from './crash-injection';
import { LedgerDirectory } from './ledger-directory';
import { MemoryEventStore } from './memory-event-store';
import { SeededRandom } from './seeded-random';
import { useSeededUuids } from './seeded-ids';
import { type BankBehaviour, DEFAULT_BANK_BEHAVIOUR, SimulatedBank } from './simulated-bank';
import { SimulatedClock } from './simulated-clock';
import { SimulatedJobs } from './simulated-jobs';
import { SimulatedService } from './simulated-service';
import { runServicePasses } from './service-passes';
import type { World } from './world';

export interface SimulationOptions {
  readonly seed: number;
  readonly steps: number;
  /** Share of steps armed to crash at one of their boundaries. */
  readonly crashShare?: number;
  readonly bank?: BankBehaviour;
  /** Called after each step's check. */
  readonly onStep?: (progress: StepReport) => void;
}

export interface StepReport {
  readonly step: number;
  readonly events: number;
  readonly crashes: number;
  /** What the step did, for a trace. */
  readonly did: string;
}

export interface SimulationFailure {
  readonly step: number;
  readonly kind: 'violation' | 'error';
  readonly message: string;
  readonly violations: readonly Violation[];
}

export interface SimulationResult {
  readonly seed: number;
  readonly steps: number;
  readonly events: number;
  readonly crashes: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly actions: Readonly<Record<string, number>>;
  readonly bank: SimulatedBank['tally'];
  /** SHA-256 of the whole log (ids, data, metadata, instants): equal for equal runs. */
  readonly fingerprint: string;
  readonly failure?: SimulationFailure;
}

export const SIMULATION_START = '2026-01-05T01:00:00.000Z';
const DEFAULT_CRASH_SHARE = 0.2;
/** How far the clock moves per step: minutes to hours, so deadlines of 72 hours fall within a run. */
const STEP_MS = { min: 10 * 60_000, max: 4 * 3_600_000 } as const;
/** Picks of an action per step until one finds something to do. */
const MAX_PICKS_PER_STEP = 6;

/**
 * One run of the whole ledger from a seed: users acting, the service's own passes, the bank's
 * answers and power cuts, each step followed by the invariant checker over the whole log. Stops at
 * the first violation or unexpected error. The same seed and steps give the same log.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const random = new SeededRandom(options.seed);
  const restoreUuids = useSeededUuids(random);
  // The service's warnings (a pass that met a crash) are the simulation's own doing: not printed.
  Logger.overrideLogger(false);
  const crash = new CrashInjection(random);
  const removeHook = crash.install();
  const clock = new SimulatedClock(SIMULATION_START);
  const store = new MemoryEventStore({ now: () => clock.now(), afterCommit: () => crash.boundary('append') });
  const bankFilesDir = mkdtempSync(join(tmpdir(), 'salur-simulation-'));
  const world: World = {
    store,
    service: new SimulatedService(store, bankFilesDir),
    jobs: new SimulatedJobs(store, clock),
    bank: new SimulatedBank(random, options.bank ?? DEFAULT_BANK_BEHAVIOUR),
    random,
    clock,
    directory: new LedgerDirectory(),
    memory: { enrolledSerials: new Map(), nextSerial: 1 },
    bankFilesDir,
    step: 0,
    recoveryOwed: false,
    acting: '',
  };
  const tallies: Tallies = { refusals: {}, actions: {} };
  let failure: SimulationFailure | undefined;
  try {
    for (let step = 1; step <= options.steps && !failure; step++) {
      world.step = step;
      clock.advance(random.between(STEP_MS.min, STEP_MS.max));
      if (random.chance(options.crashShare ?? DEFAULT_CRASH_SHARE)) crash.arm();
      const { did, failure: failed } = await runStep(world, crash, tallies);
      failure = failed && { ...failed, step };
      await world.directory.catchUp(store);
      failure ??= await check(world, step);
      options.onStep?.({ step, events: store.size, crashes: crash.count, did });
    }
    return {
      seed: options.seed,
      steps: world.step,
      events: store.size,
      crashes: crash.count,
      ...tallies,
      bank: world.bank.tally,
      fingerprint: await fingerprintOf(store, bankFilesDir),
      failure,
    };
  } finally {
    removeHook();
    restoreUuids();
    rmSync(bankFilesDir, { recursive: true, force: true });
  }
}

interface Tallies {
  readonly refusals: Record<string, number>;
  readonly actions: Record<string, number>;
}

type StepOutcome = { did: string; failure?: Omit<SimulationFailure, 'step'> };

/**
 * One step: the service's own passes, then a user's action; after a crash, the restarted
 * service's first passes, as on boot (BatchWorkflows settles as it starts), with nothing armed.
 */
async function runStep(world: World, crash: CrashInjection, tallies: Tallies): Promise<StepOutcome> {
  const passes = async () => {
    world.acting = 'service passes';
    await runServicePasses(world);
    return '';
  };
  const step = await attempt(world, tallies.refusals, async () => {
    await passes();
    return crash.crashedAt ? '' : act(world, tallies.actions);
  });
  crash.disarm();
  if (!crash.crashedAt) return step;
  const did = `${step.did} | crashed at ${crash.crashedAt}`;
  restart(world, crash);
  const boot = await attempt(world, tallies.refusals, passes);
  return { did, failure: step.failure ?? boot.failure };
}

/** Runs part of a step: a refusal is counted, a crash is the crash injection's to report, anything else fails the run. */
async function attempt(
  world: World,
  refusals: Record<string, number>,
  work: () => Promise<string>,
): Promise<StepOutcome> {
  try {
    return { did: await work() };
  } catch (error) {
    if (error instanceof SimulatedCrash) return { did: world.acting };
    if (error instanceof DomainError) {
      refusals[error.code] = (refusals[error.code] ?? 0) + 1;
      return { did: `${world.acting}: refused ${error.code} (${error.message})` };
    }
    return { did: '', failure: { kind: 'error', message: (error as Error).stack ?? String(error), violations: [] } };
  }
}

/** A user acts: an action drawn by weight, drawn again while it finds nothing to act on. */
async function act(world: World, actions: Record<string, number>): Promise<string> {
  for (let pick = 0; pick < MAX_PICKS_PER_STEP; pick++) {
    const action = world.random.weighted(USER_ACTIONS.map((candidate) => [candidate, candidate.weight] as const));
    actions[action.name] = (actions[action.name] ?? 0) + 1;
    world.acting = action.name;
    const did = await action.run(world);
    if (did !== undefined) return did;
  }
  return 'nothing to do';
}

/** The process comes back: a new service over the same store; what it held in memory is gone. */
function restart(world: World, crash: CrashInjection): void {
  crash.restart();
  world.service = new SimulatedService(world.store, world.bankFilesDir);
  world.recoveryOwed = true;
}

async function check(world: World, step: number): Promise<SimulationFailure | undefined> {
  const report = await checkLedger(world.store, {
    workflowDeadline: { now: world.clock.now(), graceMs: world.service.config.workflowGraceMs },
  });
  if (report.ok) return undefined;
  const message = report.violations.map((violation) => `${violation.invariant}: ${violation.message}`).join('\n');
  return { step, kind: 'violation', message, violations: report.violations };
}

async function fingerprintOf(store: MemoryEventStore, bankFilesDir: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const event of store.readAll()) {
    // The scratch directory is the one thing that differs between runs (ingestion jobs record its path).
    hash.update(JSON.stringify(event).split(bankFilesDir).join('<bank-files>'));
    hash.update('\n');
  }
  return hash.digest('hex');
}
