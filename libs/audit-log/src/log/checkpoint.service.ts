import { conflict, invalid, notFound } from '@salur/kernel';
import {
  addSignatures,
  checkpointExtensionLines,
  NoteFormatError,
  NoteSignerKey,
  NoteVerifierKey,
  parseSignatureLine,
  parseSignedNote,
  signCheckpoint,
  verifyNoteSignature,
} from '../domain';
import { assertLeafBytesGiveRoot } from './leaf-recheck';
import { LogIntegrityError, MerkleLogStore } from './merkle-log.store';
import { StreamHeadMapStore } from './stream-head-map.store';

export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The signed note, the log's signature only. */
  readonly note: string;
  readonly signedAt: string;
}

export interface CheckpointSigning {
  readonly origin: string;
  readonly key: NoteSignerKey;
  /** Witnesses whose cosignatures the log accepts and serves. */
  readonly witnesses: readonly NoteVerifierKey[];
}

/**
 * Signs, keeps and serves the log's checkpoints (C2SP tlog-checkpoint) and their witness
 * cosignatures. Every checkpoint is kept, one per size. Before signing it checks that the
 * stored tree still has the root of the last checkpoint, and that the bytes of every leaf added
 * since hash to the root about to be signed: a log must never sign two views that no
 * consistency proof can join, nor a root its leaves' bytes do not give, so a truncated or
 * altered log is refused here.
 */
export class CheckpointService {
  constructor(
    private readonly log: MerkleLogStore,
    private readonly signing: CheckpointSigning,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get origin(): string {
    return this.signing.origin;
  }

  /** Signs the log at its current size unless that size is signed already; returns that checkpoint. */
  async signLatest(): Promise<StoredCheckpoint> {
    const { treeSize } = await this.log.state();
    const existing = await this.at(treeSize);
    if (existing) return existing;
    const verifiedSize = await this.assertExtendsLatest(treeSize);
    const rootHash = await this.log.root(treeSize);
    await assertLeafBytesGiveRoot(this.log, verifiedSize, treeSize, rootHash);
    // The stream-head map at exactly this size, signed in the note and stored with the checkpoint.
    const map = await new StreamHeadMapStore(this.log.db).prepare(treeSize);
    const signedAt = this.now().toISOString();
    const extensions = checkpointExtensionLines({ streamHeadsRoot: map.root, time: signedAt });
    const note = signCheckpoint(
      { origin: this.signing.origin, size: treeSize, rootHash, extensions },
      this.signing.key,
    );
    try {
      await this.log.db.transaction().execute(async (trx) => {
        await map.commit(trx);
        await trx
          .insertInto('auditLogCheckpoints')
          .values({
            treeSize,
            rootHash,
            note,
            keyName: this.signing.key.name,
            keyId: this.signing.key.keyId.toString('hex'),
            signedAt,
          })
          .execute();
      });
    } catch (error) {
      // Another signer committed this size (or a later one) meanwhile: serve what was signed.
      const signed = await this.at(treeSize);
      if (signed) return signed;
      throw error;
    }
    return (await this.at(treeSize)) as StoredCheckpoint;
  }

  async latest(): Promise<StoredCheckpoint | undefined> {
    const row = await this.log.db
      .selectFrom('auditLogCheckpoints')
      .selectAll()
      .orderBy('treeSize', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async at(treeSize: number): Promise<StoredCheckpoint | undefined> {
    const row = await this.log.db
      .selectFrom('auditLogCheckpoints')
      .selectAll()
      .where('treeSize', '=', treeSize)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  /** The checkpoint's note with every stored cosignature appended, as served. */
  async cosigned(checkpoint: StoredCheckpoint): Promise<string> {
    const rows = await this.log.db
      .selectFrom('auditLogCosignatures')
      .select('line')
      .where('treeSize', '=', checkpoint.treeSize)
      .orderBy('addedAt')
      .execute();
    if (rows.length === 0) return checkpoint.note;
    return addSignatures(
      checkpoint.note,
      rows.map((row) => parseSignatureLine(row.line)),
    );
  }

  /**
   * Takes a witness's cosigned copy of a checkpoint (the note with the witness's line added),
   * keeps each valid line by a configured witness, and returns the checkpoint as now served.
   */
  async addCosignatures(treeSize: number, cosignedNote: string): Promise<string> {
    const checkpoint = await this.at(treeSize);
    if (!checkpoint) throw notFound('CHECKPOINT_NOT_FOUND', `No checkpoint was signed at size ${treeSize}`);
    let note;
    try {
      note = parseSignedNote(cosignedNote);
    } catch (error) {
      throw invalid('MALFORMED_NOTE', (error as NoteFormatError).message, 'note');
    }
    if (note.text !== parseSignedNote(checkpoint.note).text) {
      throw invalid('CHECKPOINT_MISMATCH', `The note's text is not the checkpoint of size ${treeSize}`, 'note');
    }
    const accepted = note.signatures.flatMap((signature) => {
      const witness = this.signing.witnesses.find(
        (key) => key.name === signature.name && key.keyId.equals(signature.keyId),
      );
      return witness && verifyNoteSignature(note.text, signature, witness) ? [{ signature, witness }] : [];
    });
    if (accepted.length === 0) {
      throw conflict(
        'NO_WITNESS_COSIGNATURE',
        'The note carries no valid cosignature by a witness this log is configured to accept',
      );
    }
    for (const { signature, witness } of accepted) {
      await this.log.db
        .insertInto('auditLogCosignatures')
        .values({
          treeSize,
          keyName: witness.name,
          keyId: witness.keyId.toString('hex'),
          line: signature.line,
          addedAt: this.now().toISOString(),
        })
        .onConflict((onConflict) =>
          onConflict.columns(['treeSize', 'keyName', 'keyId']).doUpdateSet({ line: signature.line }),
        )
        .execute();
    }
    return this.cosigned(checkpoint);
  }

  /** Checks the stored tree still gives the latest checkpoint's root; returns that checkpoint's size (0 if none). */
  private async assertExtendsLatest(treeSize: number): Promise<number> {
    const latest = await this.latest();
    if (!latest) return 0;
    if (latest.treeSize > treeSize) {
      throw new LogIntegrityError(
        `The audit log holds ${treeSize} leaves but a checkpoint of size ${latest.treeSize} was signed: the log was truncated. Refusing to sign.`,
      );
    }
    const root = await this.log.root(latest.treeSize);
    if (!root.equals(latest.rootHash)) {
      throw new LogIntegrityError(
        `The audit log's first ${latest.treeSize} leaves no longer hash to the signed checkpoint of that size: it was altered. Refusing to sign.`,
      );
    }
    return latest.treeSize;
  }
}

function toCheckpoint(row: { treeSize: number; rootHash: Buffer; note: string; signedAt: string }): StoredCheckpoint {
  return { treeSize: Number(row.treeSize), rootHash: row.rootHash, note: row.note, signedAt: row.signedAt };
}
