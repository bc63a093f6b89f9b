import { PositionWaiters, ProjectionNotRunningError, ProjectionWaitTimeoutError } from './position-waiters';

describe('waiting for a projection to reach a position', () => {
  it('resolves at once when the position is already applied', async () => {
    await expect(new PositionWaiters('p').wait(5, () => 7, 100)).resolves.toBeUndefined();
  });

  it('resolves when the projection advances to or past the position, not before', async () => {
    const waiters = new PositionWaiters('p');
    let current = 1;
    let resolved = false;
    const waiting = waiters.wait(10, () => current, 1_000).then(() => (resolved = true));
    current = 9;
    waiters.advance(9);
    await Promise.resolve();
    expect(resolved).toBe(false);
    current = 12;
    waiters.advance(12);
    await waiting;
    expect(resolved).toBe(true);
  });

  it('times out naming the projection, the target and where it stands', async () => {
    const waiters = new PositionWaiters('directory');
    const waiting = waiters.wait(10, () => 4, 20);
    await expect(waiting).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
    await expect(waiters.wait(10, () => undefined, 1)).rejects.toThrow(
      "Projection 'directory' did not reach position 10 within 1 ms (it is at the start)",
    );
  });

  it('refuses every waiting read when the projection stops', async () => {
    const waiters = new PositionWaiters('p');
    const waiting = waiters.wait(10, () => 4, 1_000);
    waiters.rejectAll(new ProjectionNotRunningError('p', 'stopped'));
    await expect(waiting).rejects.toThrow("Projection 'p' is not running: stopped");
  });
});
