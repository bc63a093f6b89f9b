import { batchDecider } from '@salur/batches/domain';
import { runSimulation, type SimulationResult } from '../../tools/simulate/simulation';

/**
 * The whole-system simulation in the ordinary suite (tools/simulate): a few seeds for a bounded
 * number of steps must run clean, and a rule broken on purpose must be found and replay exactly.
 */
describe('whole-system deterministic simulation', () => {
  /** Steps per seed: about five simulated weeks, one to a few seconds each on a 2-core machine. */
  const STEPS = 400;

  // Seeds 3 (step 280) and 13 (step 207) retry a submission cut short after one of its payments
  // became outcome-unknown: BatchSubmission refused the retry (PAYMENT_NOT_IN_BATCH) and left the
  // batch's other payments unsent for good, until it skipped payments that had moved on.
  it.each([
    [1, STEPS],
    [3, STEPS],
    [13, STEPS],
  ])('seed %i runs %i steps with every invariant holding after each', async (seed, steps) => {
    const result = await runSimulation({ seed, steps });

    expect(result.failure).toBeUndefined();
    expect(result.steps).toBe(steps);
    // It did exercise what it claims to: crashes, bank answers, refusals of the rules.
    expect(result.crashes).toBeGreaterThan(5);
    expect(result.bank.transfers).toBeGreaterThan(0);
    expect(Object.keys(result.refusals).length).toBeGreaterThan(3);
  });

  it('the same seed replays the same log, id for id', async () => {
    const first = await runSimulation({ seed: 7, steps: 120 });
    const second = await runSimulation({ seed: 7, steps: 120 });
    const other = await runSimulation({ seed: 8, steps: 120 });

    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.events).toBe(first.events);
    expect(other.fingerprint).not.toBe(first.fingerprint);
  });

  describe('with a broken rule: the batch decider lets a maker approve their own batch', () => {
    const decide = batchDecider.decide.bind(batchDecider);

    beforeEach(() => {
      // The mutation: the maker check never sees the maker (the rest of the decider is intact).
      batchDecider.decide = (command, state) =>
        command.type === 'ApproveBatch' && state.status !== 'absent'
          ? decide(command, { ...state, makerId: 'nobody' })
          : decide(command, state);
    });

    afterEach(() => {
      batchDecider.decide = decide;
    });

    it('is found by the invariant checker, and the failing seed replays identically', async () => {
      const found: SimulationResult = await runSimulation({ seed: 1, steps: STEPS });
      const replayed = await runSimulation({ seed: 1, steps: STEPS });

      expect(found.failure).toMatchObject({ kind: 'violation' });
      expect(found.failure?.violations.map((violation) => violation.invariant)).toContain('four-eyes');
      expect(replayed.failure).toEqual(found.failure);
      expect(replayed.fingerprint).toBe(found.fingerprint);
    });
  });
});
