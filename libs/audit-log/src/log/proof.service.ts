import { batchLinesTree, invalid, notFound, ruleBroken, type BatchLinesTree } from '@salur/kernel';
import {
  APPROVAL_POLICY_DECLARED,
  BatchLineProof,
  HashedBatchLine,
  isV2BatchLeaf,
  summaryOfLines,
  assertEndsAtHeads,
  assessPayment,
  batchStreamOf,
  batchSubject,
  beneficiaryStreamOf,
  beneficiarySubject,
  decodeLeaf,
  LeafRecord,
  LoggedEvent,
  parseCheckpointText,
  parseSignedNote,
  PaymentProof,
  paymentStreamOf,
  PROOF_FORMAT,
  PROOF_FORMAT_V1,
  ProofDocument,
  ProofKind,
  programmeStreamOf,
  readCheckpointExtensions,
  StreamHeadAt,
} from '../domain';
import { CheckpointService, StoredCheckpoint } from './checkpoint.service';
import { LogIntegrityError, MerkleLogStore, StoredLeaf } from './merkle-log.store';
import { HeadWithProof, StreamHeadMapStore } from './stream-head-map.store';

/** A national batch holds at most 5,000 payments (BATCH_MAX_PAYMENTS); a proof holds no more. */
export const MAX_PAYMENTS_PER_PROOF = 5_000;
const PAYMENT_STREAM_PREFIX = 'payment-';
/** A checkpoint signed while a proof was being read: build against the newer one, this often at most. */
const MAX_CHECKPOINT_RACES = 3;

export interface ProofOptions {
  /** An earlier checkpoint size the inspector holds: the document then proves the log only grew since. */
  readonly since?: number;
}

/**
 * Builds proof documents against the latest signed checkpoint: the payment's events, the events
 * of the batches it was sent in and (v2) its beneficiary's, each with its exact leaf bytes and
 * inclusion path, the payment's line in each salur-batch/v2 batch version with its path in the
 * version's lines tree, and the summary the full-amount rule gives. Everything comes from the log's
 * own tables, never from the event store: the document shows what the signed log holds.
 */
export class ProofService {
  private readonly map: StreamHeadMapStore;

  constructor(
    private readonly log: MerkleLogStore,
    private readonly checkpoints: CheckpointService,
  ) {
    this.map = new StreamHeadMapStore(log.db);
  }

  async paymentProof(paymentId: string, options: ProofOptions = {}): Promise<ProofDocument> {
    return this.build('payment', { paymentId }, async () => [paymentId], options);
  }

  async beneficiaryProof(beneficiaryId: string, options: ProofOptions = {}): Promise<ProofDocument> {
    return this.build(
      'beneficiary',
      { beneficiaryId },
      (size) => this.paymentsOf(beneficiarySubject(beneficiaryId), size),
      options,
    );
  }

  async batchProof(batchId: string, options: ProofOptions = {}): Promise<ProofDocument> {
    return this.build('batch', { batchId }, (size) => this.paymentsOf(batchSubject(batchId), size), options);
  }

  private async build(
    kind: ProofKind,
    subject: Partial<Record<'paymentId' | 'beneficiaryId' | 'batchId', string>>,
    paymentIdsAt: (size: number) => Promise<string[]>,
    options: ProofOptions,
  ): Promise<ProofDocument> {
    for (let attempt = 1; ; attempt++) {
      const checkpoint = await this.checkpoints.latest();
      if (!checkpoint)
        throw notFound(
          'NO_CHECKPOINT',
          'The audit log has no signed checkpoint yet; one is signed shortly after the first event',
        );
      const document = await this.buildAt(checkpoint, kind, subject, paymentIdsAt, options);
      if (document) return document;
      if (attempt >= MAX_CHECKPOINT_RACES) throw new Error('Checkpoints kept being signed while the proof was read');
    }
  }

  /** The document against `checkpoint`; undefined when a newer checkpoint moved the map meanwhile. */
  private async buildAt(
    checkpoint: StoredCheckpoint,
    kind: ProofKind,
    subject: Partial<Record<'paymentId' | 'beneficiaryId' | 'batchId', string>>,
    paymentIdsAt: (size: number) => Promise<string[]>,
    options: ProofOptions,
  ): Promise<ProofDocument | undefined> {
    const size = checkpoint.treeSize;
    const since = options.since;
    if (since !== undefined && since > size) {
      throw invalid(
        'SINCE_BEYOND_CHECKPOINT',
        `since=${since} is beyond the latest checkpoint (size ${size})`,
        'since',
      );
    }
    const paymentIds = await paymentIdsAt(size);
    const ownLeaves = await this.log.leavesOfStreams(paymentIds.map(paymentStreamOf), size);
    if (ownLeaves.length === 0) {
      throw notFound(
        'NOT_IN_LOG',
        `No event of this ${kind} is in the audit log as of its latest checkpoint (size ${size})`,
      );
    }
    const decoded = new Map(ownLeaves.map((leaf) => [leaf.leafIndex, tryDecode(leaf)]));
    const batchesByPayment = new Map(paymentIds.map((id) => [id, sentBatches(id, ownLeaves, decoded)]));
    const batchStreams = [...new Set([...batchesByPayment.values()].flat().map(batchStreamOf))];
    const batchLeaves = await this.log.leavesOfStreams(batchStreams, size);
    for (const leaf of batchLeaves) decoded.set(leaf.leafIndex, tryDecode(leaf));
    const batchLines = await this.batchLineProofs(batchLeaves, decoded, batchesByPayment);
    // A checkpoint signed before the stream-head map existed has no map root: a v1 document.
    const versioned = readCheckpointExtensions(parseCheckpointText(parseSignedNote(checkpoint.note).text));
    const v2 = versioned.streamHeadsRoot !== undefined;
    // v2: each payment's beneficiary's own record, which the accounts paid must match (account binding).
    const beneficiaries = new Map(paymentIds.map((id) => [id, v2 ? beneficiaryOf(id, ownLeaves, decoded) : null]));
    const beneficiaryStreams = [...new Set([...beneficiaries.values()].flatMap((id) => (id ? [id] : [])))];
    const beneficiaryLeaves = await this.log.leavesOfStreams(beneficiaryStreams.map(beneficiaryStreamOf), size);
    for (const leaf of beneficiaryLeaves) decoded.set(leaf.leafIndex, tryDecode(leaf));
    const historyLeaves = [...ownLeaves, ...batchLeaves, ...beneficiaryLeaves];
    const heads = v2
      ? await this.map.proofs([...new Set(historyLeaves.map((l) => l.stream))], size)
      : new Map<string, HeadWithProof>();
    if (!heads) return undefined;
    const policyLeaves = v2 ? await this.policyLeaves(batchLeaves, decoded, size) : [];
    for (const leaf of policyLeaves) decoded.set(leaf.leafIndex, tryDecode(leaf));
    const policies = v2 ? loggedEvents(policyLeaves, decoded) : undefined;

    const leavesByStream = new Map<string, StoredLeaf[]>();
    for (const leaf of historyLeaves) {
      const leaves = leavesByStream.get(leaf.stream) ?? [];
      leaves.push(leaf);
      leavesByStream.set(leaf.stream, leaves);
    }
    const payments = paymentIds.map((paymentId) => {
      const beneficiaryId = beneficiaries.get(paymentId);
      const streams = new Set([
        paymentStreamOf(paymentId),
        ...(batchesByPayment.get(paymentId) ?? []).map(batchStreamOf),
        ...(beneficiaryId ? [beneficiaryStreamOf(beneficiaryId)] : []),
      ]);
      const leaves = [...streams]
        .flatMap((stream) => leavesByStream.get(stream) ?? [])
        .sort((a, b) => a.leafIndex - b.leafIndex);
      return paymentProof(paymentId, leaves, decoded, batchLines.get(paymentId), v2 ? { policies, heads } : undefined);
    });
    const allLeaves = [
      ...new Map([...historyLeaves, ...policyLeaves].map((leaf) => [leaf.leafIndex, leaf])).values(),
    ].sort((a, b) => a.leafIndex - b.leafIndex);
    const paths = await this.log.inclusionProofs(
      allLeaves.map((leaf) => leaf.leafIndex),
      size,
    );
    return {
      format: v2 ? PROOF_FORMAT : PROOF_FORMAT_V1,
      kind,
      ...subject,
      checkpoint: await this.checkpoints.cosigned(checkpoint),
      events: allLeaves.map((leaf) => ({
        leafIndex: leaf.leafIndex,
        type: leaf.eventType,
        leafBytes: leaf.leafBytes.toString('base64'),
        inclusionPath: (paths.get(leaf.leafIndex) ?? []).map((hash) => hash.toString('base64')),
      })),
      payments,
      ...(v2
        ? {
            streams: [...heads.values()].map(({ head, proof }) => ({ ...head, mapProof: proof })),
          }
        : {}),
      ...(since !== undefined
        ? {
            consistency: {
              fromSize: since,
              toSize: size,
              proof: (await this.log.consistencyProof(since, size)).map((hash) => hash.toString('base64')),
            },
          }
        : {}),
    };
  }

  /**
   * Each payment's line, with its inclusion path, in every version of its salur-batch/v2 batches
   * that holds it. The lines come from the log's own table beside the BatchCreated leaf, checked
   * against that leaf's root, count and total (and each BatchChanged's root) before use: a path
   * computed from other lines would not verify, and the log's tables would then disagree.
   */
  private async batchLineProofs(
    batchLeaves: readonly StoredLeaf[],
    decoded: ReadonlyMap<number, LeafRecord | Error>,
    batchesByPayment: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, BatchLineProof[]>> {
    const proofs = new Map<string, BatchLineProof[]>();
    const created = batchLeaves.filter((leaf) => {
      const record = decoded.get(leaf.leafIndex);
      return record && !(record instanceof Error) && record.type === 'BatchCreated' && isV2BatchLeaf(record);
    });
    if (created.length === 0) return proofs;
    const stored = await this.log.batchLines(created.map((leaf) => leaf.leafIndex));
    for (const createdLeaf of created) {
      const batchId = createdLeaf.stream.slice('batch-'.length);
      const wanted = [...batchesByPayment].filter(([, batches]) => batches.includes(batchId)).map(([id]) => id);
      const checked = storedLinesOf(createdLeaf, decoded.get(createdLeaf.leafIndex) as LeafRecord, stored);
      let { lines, tree } = checked;
      const versions: Array<{ leafIndex: number; lines: HashedBatchLine[]; tree: BatchLinesTree }> = [
        { leafIndex: createdLeaf.leafIndex, lines, tree },
      ];
      for (const leaf of batchLeaves) {
        const record = decoded.get(leaf.leafIndex);
        if (leaf.stream !== createdLeaf.stream || !record || record instanceof Error || record.type !== 'BatchChanged')
          continue;
        const removed = new Set((record.data.removedPaymentIds as unknown[] | undefined)?.map(String) ?? []);
        lines = lines.filter((line) => !removed.has(String(line[0])));
        tree = batchLinesTree(lines);
        if (tree.root !== record.data.linesRoot) {
          throw new LogIntegrityError(
            `the lines kept for batch ${batchId} do not give the lines root of its change at leaf ${leaf.leafIndex}: the log's tables disagree`,
          );
        }
        versions.push({ leafIndex: leaf.leafIndex, lines, tree });
      }
      for (const version of versions) {
        const indexOf = new Map(version.lines.map((line, index) => [String(line[0]), index]));
        for (const paymentId of wanted) {
          const index = indexOf.get(paymentId);
          if (index === undefined) continue;
          const list = proofs.get(paymentId) ?? [];
          list.push({
            leafIndex: version.leafIndex,
            line: version.lines[index],
            index,
            inclusionPath: version.tree.pathOf(index),
          });
          proofs.set(paymentId, list);
        }
      }
    }
    return proofs;
  }

  /** The approval policies declared by the programmes of these batches, below `size`. */
  private async policyLeaves(
    batchLeaves: readonly StoredLeaf[],
    decoded: ReadonlyMap<number, LeafRecord | Error>,
    size: number,
  ): Promise<StoredLeaf[]> {
    const programmes = new Set<string>();
    for (const leaf of batchLeaves) {
      const record = decoded.get(leaf.leafIndex);
      if (
        record &&
        !(record instanceof Error) &&
        record.type === 'BatchCreated' &&
        typeof record.data.programmeId === 'string'
      )
        programmes.add(programmeStreamOf(record.data.programmeId));
    }
    if (programmes.size === 0) return [];
    const rows = await this.log.db
      .selectFrom('auditLogLeaves')
      .selectAll()
      .where('stream', 'in', [...programmes])
      .where('eventType', '=', APPROVAL_POLICY_DECLARED)
      .where('leafIndex', '<', size)
      .execute();
    return rows
      .map((row) => ({
        ...row,
        leafIndex: Number(row.leafIndex),
        position: Number(row.position),
        revision: Number(row.revision),
      }))
      .sort((left, right) => left.leafIndex - right.leafIndex);
  }

  private async paymentsOf(subject: string, size: number): Promise<string[]> {
    const streams = await this.log.streamsOfSubject(subject, size, MAX_PAYMENTS_PER_PROOF);
    if (streams.length > MAX_PAYMENTS_PER_PROOF) {
      throw ruleBroken(
        'PROOF_TOO_LARGE',
        `More than ${MAX_PAYMENTS_PER_PROOF} payments: ask for proofs of single batches or payments`,
      );
    }
    return streams
      .filter((stream) => stream.startsWith(PAYMENT_STREAM_PREFIX))
      .map((stream) => stream.slice(PAYMENT_STREAM_PREFIX.length));
  }
}

interface CheckedLines {
  readonly lines: HashedBatchLine[];
  readonly tree: BatchLinesTree;
}

/** The lines stored beside a v2 BatchCreated leaf, refused unless they give the leaf's summary. */
function storedLinesOf(leaf: StoredLeaf, record: LeafRecord, stored: ReadonlyMap<number, string>): CheckedLines {
  const text = stored.get(leaf.leafIndex);
  if (text === undefined)
    throw new LogIntegrityError(`the lines of the batch at leaf ${leaf.leafIndex} are not stored in the audit log`);
  const lines = JSON.parse(text) as HashedBatchLine[];
  const tree = batchLinesTree(lines);
  const summary = summaryOfLines(lines, tree);
  const logged = record.data.payments as Record<string, unknown>;
  if (summary.linesRoot !== logged.linesRoot || summary.count !== logged.count || summary.total !== logged.total) {
    throw new LogIntegrityError(
      `the lines stored for the batch at leaf ${leaf.leafIndex} do not give its leaf's root, count and total: the log's tables were altered`,
    );
  }
  return { lines, tree };
}

function tryDecode(leaf: StoredLeaf): LeafRecord | Error {
  try {
    return decodeLeaf(leaf.leafBytes);
  } catch (error) {
    return new Error(`leaf ${leaf.leafIndex}: ${(error as Error).message}`);
  }
}

/** The beneficiary the payment's PaymentScheduled names; null when none can be read (the rule then fails it). */
function beneficiaryOf(
  paymentId: string,
  leaves: readonly StoredLeaf[],
  decoded: ReadonlyMap<number, LeafRecord | Error>,
): string | null {
  const stream = paymentStreamOf(paymentId);
  for (const leaf of leaves) {
    const record = decoded.get(leaf.leafIndex);
    if (leaf.stream !== stream || !record || record instanceof Error || record.type !== 'PaymentScheduled') continue;
    return typeof record.data.beneficiaryId === 'string' ? record.data.beneficiaryId : null;
  }
  return null;
}

/** The batches a payment was sent to the bank in, from its PaymentSentToBank leaves. */
function sentBatches(
  paymentId: string,
  leaves: readonly StoredLeaf[],
  decoded: ReadonlyMap<number, LeafRecord | Error>,
): string[] {
  const stream = paymentStreamOf(paymentId);
  const batches = new Set<string>();
  for (const leaf of leaves) {
    const record = decoded.get(leaf.leafIndex);
    if (leaf.stream !== stream || !record || record instanceof Error || record.type !== 'PaymentSentToBank') continue;
    if (typeof record.data.batchId === 'string') batches.add(record.data.batchId);
  }
  return [...batches];
}

function loggedEvents(leaves: readonly StoredLeaf[], decoded: ReadonlyMap<number, LeafRecord | Error>): LoggedEvent[] {
  return leaves.flatMap((leaf) => {
    const record = decoded.get(leaf.leafIndex);
    return record && !(record instanceof Error) ? [{ leafIndex: leaf.leafIndex, record }] : [];
  });
}

/** The payment's entry: its history's leaves and the rule's summary, or why the chain is broken. */
function paymentProof(
  paymentId: string,
  leaves: readonly StoredLeaf[],
  decoded: ReadonlyMap<number, LeafRecord | Error>,
  batchLines: readonly BatchLineProof[] | undefined,
  v2?: { policies?: readonly LoggedEvent[]; heads: ReadonlyMap<string, HeadWithProof> },
): PaymentProof {
  const leafIndexes = leaves.map((leaf) => leaf.leafIndex);
  const lines = batchLines ? { batchLines } : {};
  try {
    const events: LoggedEvent[] = leaves.map((leaf) => {
      const record = decoded.get(leaf.leafIndex);
      if (!record || record instanceof Error) throw record ?? new Error(`leaf ${leaf.leafIndex} could not be read`);
      return { leafIndex: leaf.leafIndex, record };
    });
    const summary = assessPayment(paymentId, events, {
      policies: v2?.policies,
      bindAccounts: v2 !== undefined,
      batchLines,
    });
    if (v2) {
      const heads = new Map<string, StreamHeadAt>([...v2.heads].map(([stream, { head }]) => [stream, head]));
      assertEndsAtHeads(events, heads);
    }
    return { paymentId, leafIndexes, ...lines, summary };
  } catch (error) {
    // The log's own tables break the rules: serve the evidence anyway; the verifier names the fault.
    return { paymentId, leafIndexes, ...lines, summary: null, chainError: (error as Error).message };
  }
}
