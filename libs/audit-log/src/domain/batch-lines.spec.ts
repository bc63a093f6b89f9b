import { batchContentHashV2, batchLinesRootFromPath, batchLinesTree, type CanonicalBatchLine } from '@salur/kernel';
import { batchLinesOf, loggedDataOf } from './batch-lines';
import { CanonicalizationError } from './jcs';
import { leafRecordOf, LoggableEvent } from './leaf';
import { hashLeaf, rootOfLeafHashes } from './merkle';
import { rootFromInclusionProof } from './verify-proofs';

const lineOf = (n: number): CanonicalBatchLine => [
  `p-${String(n).padStart(4, '0')}`,
  `b-${n}`,
  `${600000 + n}.00`,
  '002',
  n % 7,
];

describe("a batch's lines as an RFC 9162 tree (the kernel's, checked against the log's own tree code)", () => {
  it('gives the root, and paths that lead to it, for every size and index up to 33', () => {
    for (let size = 1; size <= 33; size++) {
      const lines = Array.from({ length: size }, (_, n) => lineOf(n));
      const tree = batchLinesTree(lines);
      const leafHashes = lines.map((line) => hashLeaf(Buffer.from(JSON.stringify(line), 'utf8')));
      expect(tree.root).toBe(rootOfLeafHashes(leafHashes).toString('hex'));
      for (let index = 0; index < size; index++) {
        const path = tree.pathOf(index);
        const viaLog = rootFromInclusionProof(
          index,
          size,
          leafHashes[index],
          path.map((hex) => Buffer.from(hex, 'hex')),
        );
        expect(viaLog.toString('hex')).toBe(tree.root);
        expect(batchLinesRootFromPath(lines[index], index, size, path)).toBe(tree.root);
      }
    }
  });

  it('leads elsewhere for an altered line, path, index or size', () => {
    const lines = Array.from({ length: 11 }, (_, n) => lineOf(n));
    const tree = batchLinesTree(lines);
    const path = tree.pathOf(6);
    const cheaper: CanonicalBatchLine = [lines[6][0], lines[6][1], '1.00', lines[6][3], lines[6][4]];
    expect(batchLinesRootFromPath(cheaper, 6, 11, path)).not.toBe(tree.root);
    const flipped = [...path];
    flipped[1] = flipped[1].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(batchLinesRootFromPath(lines[6], 6, 11, flipped)).not.toBe(tree.root);
    expect(batchLinesRootFromPath(lines[6], 5, 11, path)).not.toBe(tree.root);
    // The last line of 11 sits higher than in a tree of 12: its path does not fit the other size.
    expect(batchLinesRootFromPath(lines[10], 10, 12, tree.pathOf(10))).not.toBe(tree.root);
    expect(batchLinesRootFromPath(lines[6], 6, 11, [...path, path[0]])).toBeNull();
  });

  it('hashes the content header as RFC 8785 with its keys in order', () => {
    const header = {
      batchId: 'b',
      programmeId: 'P',
      period: '2026-11',
      count: 2,
      total: '1200000.00',
      linesRoot: 'ab'.repeat(32),
    };
    const hash = batchContentHashV2(header);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(batchContentHashV2({ ...header, count: 3 })).not.toBe(hash);
    expect(batchContentHashV2({ ...header, total: '1200000.01' })).not.toBe(hash);
  });
});

describe('the leaf of a salur-batch/v2 batch event', () => {
  const payments = [
    { paymentId: 'p-2', beneficiaryId: 'b-2', amount: '600000.00', bankCode: '008', beneficiaryRevision: 4 },
    { paymentId: 'p-1', beneficiaryId: 'b-1', amount: '250000.50', bankCode: '002', beneficiaryRevision: 1 },
  ];
  const created: LoggableEvent = {
    id: 'e1',
    streamName: 'batch-x',
    revision: 1,
    type: 'BatchCreated',
    recordedAt: '2026-11-05T08:00:00.000Z',
    data: { batchId: 'x', payments, count: 2, controlSum: '850000.50', contentFormat: 'salur-batch/v2' },
    metadata: {},
  };

  it('keeps the root, count and total of the lines (sorted by payment), not the lines', () => {
    const record = leafRecordOf(created);
    const sorted = [
      ['p-1', 'b-1', '250000.50', '002', 1],
      ['p-2', 'b-2', '600000.00', '008', 4],
    ];
    expect(record.data.payments).toEqual({
      linesRoot: batchLinesTree(sorted).root,
      count: 2,
      total: '850000.50',
    });
    expect(batchLinesOf('BatchCreated', created.data)).toEqual(sorted);
    expect(record.data.count).toBe(2);
  });

  it('keeps a batch event without the marker whole, so older proofs verify as they did', () => {
    const { contentFormat: _format, ...old } = created.data;
    expect(leafRecordOf({ ...created, data: old }).data).toBe(old);
    expect(loggedDataOf('BatchApproved', created.data)).toBe(created.data);
  });

  it("summarises BatchCreationStarted's [paymentId, amount] lines the same way", () => {
    const started = {
      payments: payments.map(({ paymentId, amount }) => ({ paymentId, amount })),
      contentFormat: 'salur-batch/v2',
    };
    expect(loggedDataOf('BatchCreationStarted', started).payments).toEqual({
      linesRoot: batchLinesTree([
        ['p-1', '250000.50'],
        ['p-2', '600000.00'],
      ]).root,
      count: 2,
      total: '850000.50',
    });
  });

  it('stops the log on a line it cannot summarise faithfully, naming it', () => {
    const bad = { ...created.data, payments: [{ ...payments[0], beneficiaryRevision: '4' }] };
    expect(() => leafRecordOf({ ...created, data: bad })).toThrow(CanonicalizationError);
    expect(() => leafRecordOf({ ...created, data: bad })).toThrow('$.data.payments[0].beneficiaryRevision');
  });
});
