import { sql } from 'kysely';
import {
  EMPTY_MAP_ROOT,
  MapEntry,
  mapKeyOf,
  mapLeafHash,
  mapValueOf,
  StreamHead,
  subtreeHash,
  verifyMapProof,
} from '../domain';
import { migrateAuditLog, openAuditLogDatabase } from './audit-log.database';
import type { AuditLogDatabase } from './audit-log.tables';
import { LogIntegrityError } from './merkle-log.store';
import { MAP_BUCKET_DEPTH, MapMovedError, StreamHeadMapStore } from './stream-head-map.store';

/** The map's tables against the domain's definition, on SQLite in memory; the leaves table holds only what the map reads. */
describe('the stream-head map store', () => {
  let db: AuditLogDatabase;
  let store: StreamHeadMapStore;
  let size: number;
  /** The heads the map must hold, by stream, as the test logged them. */
  let expected: Map<string, StreamHead>;

  beforeEach(async () => {
    db = openAuditLogDatabase({ dialect: 'sqlite', sqlitePath: ':memory:', postgresUrl: '' });
    await migrateAuditLog(db, 'sqlite');
    store = new StreamHeadMapStore(db);
    size = 0;
    expected = new Map();
  });

  afterEach(async () => {
    await db.destroy();
  });

  /** Logs one event on each stream, at the stream's next revision. */
  async function log(streams: readonly string[]): Promise<void> {
    const rows = streams.map((stream) => {
      const head = { stream, revision: (expected.get(stream)?.revision ?? -1) + 1, leafIndex: size++ };
      expected.set(stream, head);
      return {
        leafIndex: head.leafIndex,
        position: head.leafIndex,
        eventId: `e-${head.leafIndex}`,
        stream,
        revision: head.revision,
        eventType: 'PaymentBatched',
        leafBytes: Buffer.alloc(1),
        leafHash: Buffer.alloc(32),
      };
    });
    for (let start = 0; start < rows.length; start += 500)
      await db
        .insertInto('auditLogLeaves')
        .values(rows.slice(start, start + 500))
        .execute();
  }

  async function sign(): Promise<Buffer> {
    const prepared = await store.prepare(size);
    await db.transaction().execute((trx) => prepared.commit(trx));
    return prepared.root;
  }

  /** The root of `expected` by the domain's definition, computed in memory. */
  function rootInMemory(): Buffer {
    const entries: MapEntry[] = [...expected.values()]
      .map((head) => ({ key: mapKeyOf(head.stream), leafHash: mapLeafHash(mapKeyOf(head.stream), mapValueOf(head)) }))
      .sort((left, right) => Buffer.compare(left.key, right.key));
    return subtreeHash(0, entries);
  }

  async function provesEveryHead(root: Buffer): Promise<number[]> {
    const proofs = await store.proofs([...expected.keys()], size);
    if (!proofs) throw new Error('the map moved during the test');
    for (const [stream, { head, proof }] of proofs) {
      expect(head).toEqual(expected.get(stream));
      verifyMapProof(head, proof, root);
    }
    return [...proofs.values()].map(({ proof }) => proof.depth);
  }

  it('starts empty, and a map of one stream has its leaf as the root', async () => {
    expect((await store.state()).root.equals(EMPTY_MAP_ROOT)).toBe(true);
    await log(['payment-only']);
    const root = await sign();
    expect(root.equals(rootInMemory())).toBe(true);
    expect(await provesEveryHead(root)).toEqual([0]);
  });

  it('holds the same root as the definition across checkpoints, with leaves above and below the buckets', async () => {
    const streams = Array.from({ length: 3_000 }, (_, i) => `payment-${i}`);
    await log(streams);
    const first = await sign();
    expect(first.equals(rootInMemory())).toBe(true);
    const depths = await provesEveryHead(first);
    // ~3,000 keys in 65,536 buckets: most sit alone above the buckets, a few share one.
    expect(depths.some((depth) => depth <= MAP_BUCKET_DEPTH)).toBe(true);
    expect(depths.some((depth) => depth > MAP_BUCKET_DEPTH)).toBe(true);

    await log([...streams.filter((_, i) => i % 6 === 0), ...Array.from({ length: 200 }, (_, i) => `batch-${i}`)]);
    const second = await sign();
    expect(second.equals(first)).toBe(false);
    expect(second.equals(rootInMemory())).toBe(true);
    await provesEveryHead(second);
    expect((await store.state()).root.equals(second)).toBe(true);
  });

  it('keeps the root when no leaf was logged since, and refuses to go back', async () => {
    await log(['payment-a', 'payment-b']);
    const root = await sign();
    expect((await store.prepare(size)).root.equals(root)).toBe(true);
    await expect(store.prepare(size - 1)).rejects.toThrow(LogIntegrityError);
  });

  it('a second signer preparing from the same size cannot commit after the first', async () => {
    await log(['payment-a']);
    const [one, two] = [await store.prepare(size), await store.prepare(size)];
    await db.transaction().execute((trx) => one.commit(trx));
    await expect(db.transaction().execute((trx) => two.commit(trx))).rejects.toThrow(MapMovedError);
  });

  describe('refuses to prove from altered tables', () => {
    const alterations: ReadonlyArray<[string, ReturnType<typeof sql>, RegExp]> = [
      [
        'a head',
        sql`UPDATE audit_log_map_leaves SET revision = revision + 1 WHERE key_hash = ${mapKeyOf('payment-7')}`,
        /row of payment-7 does not hash to its head/,
      ],
      [
        'a leaf hash',
        sql`UPDATE audit_log_map_leaves SET leaf_hash = ${Buffer.alloc(32, 9)} WHERE key_hash = ${mapKeyOf('payment-8')}`,
        /row of payment-8 does not hash to its head/,
      ],
      [
        'a node',
        sql`UPDATE audit_log_map_nodes SET hash = ${Buffer.alloc(32, 9)} WHERE node_index = 2`,
        /do not hash to its root/,
      ],
      [
        "a node's count",
        sql`UPDATE audit_log_map_nodes SET leaves = leaves + 1 WHERE leaves = 1`,
        /do not hash to its root/,
      ],
    ];

    it.each(alterations)('%s', async (_, alteration, refusal) => {
      await log(Array.from({ length: 300 }, (_, i) => `payment-${i}`));
      await sign();
      const streams = [...expected.keys()];
      await expect(store.proofs(streams, size)).resolves.toBeDefined();
      await alteration.execute(db);
      await expect(store.proofs(streams, size)).rejects.toThrow(refusal);
    });
  });
});
