import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';

const ROOT = join(__dirname, '..', '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The real worker app (apps/worker/src/main.ts) in a child process, as `npm run start:worker` runs it. */
export function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

export function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

/**
 * What BullMQ does on its own 30 s after a worker died (the lock expires, the next stalled check
 * moves the job back to wait), done at once: the job's lock and the last check's marker are
 * removed and the job is marked as a stall candidate, so the next worker's first stalled check
 * (run at its start) puts the job back in the queue. The retry then runs the job from the start.
 */
export async function expireLockOfDeadWorker(prefix: string, queueName: string, jobId: string): Promise<void> {
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await redis.del(`${prefix}:${queueName}:${jobId}:lock`, `${prefix}:${queueName}:stalled-check`);
    await redis.sadd(`${prefix}:${queueName}:stalled`, jobId);
  } finally {
    redis.disconnect();
  }
}
