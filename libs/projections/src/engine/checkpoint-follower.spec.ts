import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFollower } from './checkpoint-follower';
import { migrateReadModels } from './migrations';
import { ProjectionWaitTimeoutError } from './position-waiters';
import { openReadModelDatabase, type ReadModelDatabase } from './read-model-database';

describe('CheckpointFollower: reads after writes where another process projects', () => {
  let directory: string;
  let db: ReadModelDatabase;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-follower-'));
    db = openReadModelDatabase({
      dialect: 'sqlite',
      sqlitePath: join(directory, 'read.db'),
      postgresUrl: 'postgres://unused',
    });
    await migrateReadModels(db, []);
  });
  afterEach(async () => {
    await db.destroy().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  });

  /** What the projector does in its batch transaction: move the checkpoint. */
  const commit = (name: string, position: number) =>
    db
      .insertInto('projectionCheckpoints')
      .values({ name, position, updatedAt: new Date().toISOString() })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ position }))
      .execute();

  it('releases a read once the projector commits its position, and one already there at once', async () => {
    const follower = new CheckpointFollower(db, ['budget', 'balances'], 5);
    let released = false;
    const waiting = follower.waitFor('budget', 7, 5_000).then(() => (released = true));
    await commit('budget', 6);
    await commit('balances', 7); // another projection's checkpoint does not release it
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(released).toBe(false);
    await commit('budget', 7);
    await waiting;
    await expect(follower.waitFor('balances', 3, 5_000)).resolves.toBeUndefined();
    expect(await follower.positions()).toEqual(
      new Map([
        ['budget', 7],
        ['balances', 7],
      ]),
    );
    follower.stop();
  });

  it('answers a read the projector does not reach in time with a timeout naming where it is', async () => {
    const follower = new CheckpointFollower(db, ['budget'], 5);
    await commit('budget', 2);
    const error = await follower.waitFor('budget', 9, 50).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ProjectionWaitTimeoutError);
    expect((error as ProjectionWaitTimeoutError).reached).toBe(2);
    follower.stop();
  });

  it('fails the waiting reads with the database’s error when the read models cannot be read', async () => {
    const follower = new CheckpointFollower(db, ['budget'], 5);
    await db.destroy();
    await expect(follower.waitFor('budget', 1, 5_000)).rejects.toThrow();
    follower.stop();
  });

  it('refuses to wait for a projection it does not know, and after it stopped', async () => {
    const follower = new CheckpointFollower(db, ['budget'], 5);
    await expect(follower.waitFor('nope', 1, 100)).rejects.toThrow("No projection is registered as 'nope'");
    follower.stop();
    await expect(follower.waitFor('budget', 1, 100)).rejects.toThrow('is not running: stopped');
  });
});
