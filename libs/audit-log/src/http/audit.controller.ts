import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor } from '@salur/http';
import { forbidden, invalid, notFound } from '@salur/kernel';
import type { ProofDocument } from '../domain';
import { AuditLogFollower, FollowerStatus } from '../log/audit-log.follower';
import { CheckpointService } from '../log/checkpoint.service';
import { MerkleLogStore } from '../log/merkle-log.store';
import { ProofService } from '../log/proof.service';
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
 * carry the exact bytes of the events, personal data included (an account number cannot be
 * masked without breaking its hash), so an inspector needs the `pii` grant for them.
 */
@ApiTags('audit')
@Controller('audit')
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
  paymentProof(
    @Param() { paymentId }: PaymentProofParams,
    @Query() query: ProofQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<ProofDocument> {
    assertMaySeePersonalData(actor);
    return this.proofs.paymentProof(paymentId, sinceOf(query));
  }

  @Get('beneficiaries/:beneficiaryId/proof')
  @Roles('inspector', 'admin')
  beneficiaryProof(
    @Param() { beneficiaryId }: BeneficiaryProofParams,
    @Query() query: ProofQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<ProofDocument> {
    assertMaySeePersonalData(actor);
    return this.proofs.beneficiaryProof(beneficiaryId, sinceOf(query));
  }

  @Get('batches/:batchId/proof')
  @Roles('inspector', 'admin')
  batchProof(
    @Param() { batchId }: BatchProofParams,
    @Query() query: ProofQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<ProofDocument> {
    assertMaySeePersonalData(actor);
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

function assertMaySeePersonalData(actor: AuthenticatedActor): void {
  if (actor.role === 'inspector' && !actor.grants.includes('pii')) {
    throw forbidden(
      'PII_GRANT_REQUIRED',
      'A proof carries the exact logged events, account numbers and names included; it needs a token with the pii grant',
    );
  }
}
