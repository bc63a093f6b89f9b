import { isConnectionLost } from './connection-lost';
import { withReconnect } from './reconnect';

function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

const TERMINATED = pgError('terminating connection due to administrator command', '57P01');
const POLICY = { attempts: 3, firstDelayMs: 1 };

describe('isConnectionLost', () => {
  it.each([
    ['a terminated backend', TERMINATED],
    ['a server shutting down', pgError('the database system is shutting down', '57P03')],
    ['a connection exception (class 08)', pgError('connection failure', '08006')],
    ['a reset socket', pgError('read ECONNRESET', 'ECONNRESET')],
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a socket that ended', pgError('Connection terminated unexpectedly')],
    [
      'a client left broken by an earlier loss',
      pgError('Client has encountered a connection error and is not queryable'),
    ],
  ])('is true for %s', (_, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('duplicate key value', '23505')],
    ['a serialization failure (the statement, not the connection)', pgError('could not serialize', '40001')],
    ['a syntax error', pgError('syntax error at or near', '42601')],
    ['a plain error', new Error('boom')],
    ['a string', 'Connection terminated unexpectedly'],
  ])('is false for %s', (_, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});

describe('withReconnect', () => {
  it('tries again after a lost connection and answers with the later try', async () => {
    const outcomes = [TERMINATED, TERMINATED, 'rows'];
    const work = jest.fn(async () => {
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return next;
    });
    await expect(withReconnect(work, POLICY)).resolves.toBe('rows');
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('gives up after the policy’s attempts with the last loss', async () => {
    const work = jest.fn(async () => {
      throw TERMINATED;
    });
    await expect(withReconnect(work, POLICY)).rejects.toBe(TERMINATED);
    expect(work).toHaveBeenCalledTimes(POLICY.attempts);
  });

  it('never repeats work that failed for another reason', async () => {
    const conflict = pgError('duplicate key value', '23505');
    const work = jest.fn(async () => {
      throw conflict;
    });
    await expect(withReconnect(work, POLICY)).rejects.toBe(conflict);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
