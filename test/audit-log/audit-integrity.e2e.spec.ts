import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { generateNoteKey, MerkleLogStore } from '@salur/audit-log';
import type { RecordedEvent } from '@salur/event-store';
import { AuditApi, startAuditApi } from './support/audit-api';
import { ORIGIN } from './support/log-fixture';

interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A damaged or unreachable audit log is refused with a code a client can act on, never a 500:
 * 409 LOG_INTEGRITY with the reason, 503 AUDIT_LOG_UNAVAILABLE. Its own API, since it breaks the log.
 */
describe('the audit routes refuse a damaged log with 409 LOG_INTEGRITY (ApiModule, SQLite)', () => {
  let api: AuditApi;
  /** A second handle on the log's SQLite file, as an intruder with the database would have. */
  let intruder: Database.Database;

  beforeAll(async () => {
    api = await startAuditApi({
      CHECKPOINT_SIGNING_KEY: generateNoteKey(ORIGIN).signerKey,
      CHECKPOINT_ORIGIN: ORIGIN,
      // Only this suite's POSTs sign: the interval signer must not race them.
      CHECKPOINT_INTERVAL: '60m',
    });
    intruder = new Database(join(api.directory, 'salur-audit.db'));
    intruder.pragma('busy_timeout = 5000');
  });

  afterAll(async () => {
    intruder?.close();
    await api?.close();
  });

  /** Appends events and waits until the follower has logged all of them; returns the log's size. */
  async function logged(events: number): Promise<number> {
    // Events without personal data: the store seals those, and this suite is about the log only.
    for (let n = 0; n < events; n++) {
      await api.store.append(`noise-${randomUUID()}`, [{ id: randomUUID(), type: 'NoiseRecorded', data: { n } }]);
    }
    let head = 0;
    for await (const _ of api.store.readAll() as AsyncIterable<RecordedEvent>) head++;
    await until(
      () => api.get<{ treeSize: number }>('/audit/log', 'admin'),
      (response) => response.body.treeSize === head,
      `the log at size ${head}`,
    );
    return head;
  }

  /** One hex digit of the leaf's event id changed: still canonical JSON, another event. */
  function editOneByte(leafIndex: number): void {
    const { leafBytes } = intruder
      .prepare('SELECT leaf_bytes AS leafBytes FROM audit_log_leaves WHERE leaf_index = ?')
      .get(leafIndex) as { leafBytes: Buffer };
    const at = leafBytes.indexOf('"id":"') + '"id":"'.length;
    leafBytes[at] = leafBytes[at] === 0x61 ? 0x62 : 0x61;
    intruder.prepare('UPDATE audit_log_leaves SET leaf_bytes = ? WHERE leaf_index = ?').run(leafBytes, leafIndex);
  }

  it('POST /audit/checkpoints: a leaf edited after it was appended is refused, naming it, and nothing is signed', async () => {
    const signedSize = await logged(3);
    const signed = await api.post<string>('/audit/checkpoints', 'admin');
    expect(signed.status).toBe(200);
    expect(signed.text.split('\n')[1]).toBe(String(signedSize));

    const grownSize = await logged(2);
    editOneByte(signedSize);

    const refused = await api.post<ErrorBody>('/audit/checkpoints', 'admin');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      statusCode: 409,
      code: 'LOG_INTEGRITY',
      message: expect.stringMatching(
        new RegExp(
          `^The audit log's leaf ${signedSize} \\(event [0-9a-f-]{36}, noise-[0-9a-f-]{36} revision 0\\): its bytes no longer hash to its stored leaf hash`,
        ),
      ),
    });
    const latest = await api.get<string>('/audit/checkpoints/latest', 'inspector');
    expect(latest.text.split('\n')[1]).toBe(String(signedSize));
    expect((await api.get(`/audit/checkpoints/${grownSize}`, 'inspector')).status).toBe(404);
  });

  it('GET /audit/consistency: a node a proof needs deleted from the database answers 409 LOG_INTEGRITY', async () => {
    const size = await logged(8); // a proof from size 1 then needs stored subtrees of levels 1 and 2
    intruder.prepare('DELETE FROM audit_log_nodes').run();
    const refused = await api.get<ErrorBody>(`/audit/consistency?from=1&to=${size}`, 'inspector');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'LOG_INTEGRITY',
      message: expect.stringMatching(
        /^the audit log has no hash for subtree .*: its tables were truncated or altered$/,
      ),
    });
  });

  it('POST /audit/checkpoints: a log database that cannot be reached answers 503 AUDIT_LOG_UNAVAILABLE', async () => {
    // What node-postgres throws when the server refuses the connection.
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const log = api.app.get(MerkleLogStore);
    const spy = jest.spyOn(log, 'state').mockRejectedValueOnce(refusedConnection);
    try {
      const refused = await api.post<ErrorBody>('/audit/checkpoints', 'admin');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ statusCode: 503, code: 'AUDIT_LOG_UNAVAILABLE' });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
