import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '@salur/http';
import { invalid, notFound } from '@salur/kernel';
import type { ProofDocument } from '../domain';
import { AuditLogFollower, FollowerStatus } from '../log/audit-log.follower';
import { CheckpointService } from '../log/checkpoint.service';
import { MerkleLogStore } from '../log/merkle-log.store';
import { ProofService } from '../log/proof.service';
import { AuditLogErrorsInterceptor } from './audit-log-errors.interceptor';
import {
  BatchProofParams,
  BeneficiaryProofParams,
  CheckpointParams,
  ConsistencyProofResponse,
  ConsistencyQuery,
  CosignatureDto,
  PaymentProofParams,
  ProofQuery,
} from './audit.dto';

const NOTE_CONTENT_TYPE = 'text/plain; charset=utf-8';

/**
 * The audit log over HTTP. Checkpoints are served as the C2SP text notes they are (with any
 * witness cosignatures), so `curl … > checkpoint.txt` gives what the verifier reads. Proofs
 * carry the exact logged bytes, in which every NIK, KK, name and account is sealed (ciphertext
 * and a keyed commitment, see @salur/personal-data), so any inspector may take one. A damaged
 * log answers 409 LOG_INTEGRITY and an unreachable one 503 AUDIT_LOG_UNAVAILABLE, never a 500.
 */
@ApiTags('audit')
@Controller('audit')
@UseInterceptors(AuditLogErrorsInterceptor)
export class AuditController {
  constructor(
    private readonly log: MerkleLogStore,
    private readonly checkpoints: CheckpointService,
    private readonly proofs: ProofService,
    private readonly follower: AuditLogFollower,
  ) {}

  @Get('checkpoints/latest')
  @Roles('inspector', 'admin', 'finance-officer', 'programme-officer')
  @Header('Content-Type', NOTE_CONTENT_TYPE)
  @ApiProduces('text/plain')
  async latestCheckpoint(): Promise<string> {
    const checkpoint = await this.checkpoints.latest();
    if (!checkpoint) throw notFound('NO_CHECKPOINT', 'The audit log has no signed checkpoint yet');
    return this.checkpoints.cosigned(checkpoint);
  }

  @Get('checkpoints/:size')
  @Roles('inspector', 'admin', 'finance-officer', 'programme-officer')
  @Header('Content-Type', NOTE_CONTENT_TYPE)
  @ApiProduces('text/plain')
  async checkpointAt(@Param() { size }: CheckpointParams): Promise<string> {
    const checkpoint = await this.checkpoints.at(Number(size));
    if (!checkpoint) throw notFound('CHECKPOINT_NOT_FOUND', `No checkpoint was signed at size ${size}`);
    return this.checkpoints.cosigned(checkpoint);
  }

  /** Signs a checkpoint of the log as it is now (the interval signer does this on its own too). */
  @Post('checkpoints')
  @HttpCode(200)
  @Roles('admin')
  @Header('Content-Type', NOTE_CONTENT_TYPE)
  @ApiProduces('text/plain')
  async signNow(): Promise<string> {
    return this.checkpoints.cosigned(await this.checkpoints.signLatest());
  }

  /** Stores a witness's cosignature; only witnesses named in AUDIT_WITNESS_KEYS are accepted. */
  @Post('checkpoints/:size/cosignatures')
  @HttpCode(200)
  @Roles('admin')
  @Header('Content-Type', NOTE_CONTENT_TYPE)
  @ApiProduces('text/plain')
  addCosignature(@Param() { size }: CheckpointParams, @Body() body: CosignatureDto): Promise<string> {
    return this.checkpoints.addCosignatures(Number(size), body.note);
  }

  @Get('consistency')
  @Roles('inspector', 'admin', 'finance-officer', 'programme-officer')
  @ApiOkResponse({ type: ConsistencyProofResponse })
  async consistency(@Query() query: ConsistencyQuery): Promise<ConsistencyProofResponse> {
    const [fromSize, toSize] = [Number(query.from), Number(query.to)];
    const { treeSize } = await this.log.state();
    if (fromSize > toSize) throw invalid('INVALID_RANGE', `from (${fromSize}) is after to (${toSize})`, 'from');
    if (toSize > treeSize)
      throw invalid('BEYOND_LOG', `The log holds ${treeSize} leaves; to=${toSize} is beyond it`, 'to');
    const proof = await this.log.consistencyProof(fromSize, toSize);
    return { fromSize, toSize, proof: proof.map((hash) => hash.toString('base64')) };
  }

  @Get('payments/:paymentId/proof')
  @Roles('inspector', 'admin')
  paymentProof(@Param() { paymentId }: PaymentProofParams, @Query() query: ProofQuery): Promise<ProofDocument> {
    return this.proofs.paymentProof(paymentId, sinceOf(query));
  }

  @Get('beneficiaries/:beneficiaryId/proof')
  @Roles('inspector', 'admin')
  beneficiaryProof(
    @Param() { beneficiaryId }: BeneficiaryProofParams,
    @Query() query: ProofQuery,
  ): Promise<ProofDocument> {
    return this.proofs.beneficiaryProof(beneficiaryId, sinceOf(query));
  }

  @Get('batches/:batchId/proof')
  @Roles('inspector', 'admin')
  batchProof(@Param() { batchId }: BatchProofParams, @Query() query: ProofQuery): Promise<ProofDocument> {
    return this.proofs.batchProof(batchId, sinceOf(query));
  }

  @Get('log')
  @Roles('inspector', 'admin')
  async status(): Promise<{
    treeSize: number;
    position: number;
    follower: FollowerStatus;
    latestCheckpoint: number | null;
  }> {
    const [state, latest] = await Promise.all([this.log.state(), this.checkpoints.latest()]);
    return { ...state, follower: this.follower.status(), latestCheckpoint: latest?.treeSize ?? null };
  }
}

function sinceOf(query: ProofQuery): { since?: number } {
  return query.since === undefined ? {} : { since: Number(query.since) };
}
