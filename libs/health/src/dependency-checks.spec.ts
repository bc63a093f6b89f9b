import { DependencyChecks } from './dependency-checks';

describe('DependencyChecks', () => {
  it('reports a probe that throws as down, with its message as the reason', async () => {
    const checks = new DependencyChecks();
    checks.register({
      name: 'read-models',
      essential: true,
      probe: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });
    checks.register({ name: 'queue', essential: false, probe: () => ({ status: 'up', url: 'redis://x' }) });

    const probed = await checks.probeAll();

    expect(probed.map(({ name, state }) => [name, state])).toEqual([
      ['read-models', { status: 'down', reason: 'connect ECONNREFUSED' }],
      ['queue', { status: 'up', url: 'redis://x' }],
    ]);
  });

  it('reports a probe that never answers as down instead of hanging', async () => {
    jest.useFakeTimers();
    try {
      const checks = new DependencyChecks();
      checks.register({ name: 'event-store', essential: true, probe: () => new Promise(() => undefined) });

      const probed = checks.probeAll();
      await jest.advanceTimersByTimeAsync(3_000);

      expect((await probed)[0].state).toEqual({ status: 'down', reason: 'no answer within 3000 ms' });
    } finally {
      jest.useRealTimers();
    }
  });
});
