import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandReceipt, ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, ReadAfterQueryDto, RequestContext, Roles } from '@salur/http';
import { ERASED_VALUE, notFound } from '@salur/kernel';
import { mask, PersonalDataAccessLog, seesAccountNumbers } from '@salur/personal-data';
import { Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { AssignBankExceptionCommand, ResolveBankExceptionCommand } from '../application/bank-exception.messages';
import { bankExceptionsProjection } from '../read-models/bank-exceptions.projection';
import { type BankExceptionItem, BankExceptionQueries } from '../read-models/bank-exceptions.queries';
import type { BankExceptionCountRow } from '../read-models/bank-exceptions.tables';
import {
  AssignBankExceptionDto,
  BankExceptionCountsQuery,
  BankExceptionListQuery,
  BankExceptionParams,
  ResolveBankExceptionDto,
} from './bank-exception.dto';

/** Bank operators work the queue; finance officers and inspectors follow it. */
const QUEUE_READERS = ['bank-integration', 'finance-officer', 'inspector', 'admin'] as const;
const QUEUE_WORKERS = ['bank-integration', 'admin'] as const;
const PROJECTIONS = [bankExceptionsProjection.name];

export type BankExceptionView = Omit<BankExceptionItem, 'queueOrder'>;
export type BankExceptionCountView = Omit<BankExceptionCountRow, 'id'>;

export interface BankExceptionPage extends Page<BankExceptionView> {
  /** The counts of the batches and files the filter names, or else of those on this page. */
  readonly counts: { readonly batches: BankExceptionCountView[]; readonly files: BankExceptionCountView[] };
}

@ApiTags('bank exceptions')
@ApiBearerAuth()
@Controller('bank-exceptions')
export class BankExceptionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queue: BankExceptionQueries,
    private readonly readModels: ProjectionStatusService,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  @Get()
  @Roles(...QUEUE_READERS)
  async list(
    @Query() query: BankExceptionListQuery,
    @CurrentContext() context: RequestContext,
  ): Promise<BankExceptionPage> {
    await readAfter(this.readModels, query.minPosition, PROJECTIONS);
    const { status, batchId, sha256, reason, limit, cursor } = query;
    const page = await this.queue.list({ status, batchId, sha256, reason }, { limit, cursor });
    const batchIds = batchId !== undefined ? [batchId] : page.items.flatMap((item) => item.batchId ?? []);
    const sha256s = sha256 !== undefined ? [sha256] : page.items.flatMap((item) => item.sha256 ?? []);
    const counts = (await this.queue.countsOf(batchIds, sha256s)).map(({ id: _id, ...count }) => count);
    const items = await this.shown(page.items, context, 'GET /bank-exceptions');
    return {
      items,
      nextCursor: page.nextCursor,
      counts: {
        batches: counts.filter((count) => count.kind === 'batch'),
        files: counts.filter((count) => count.kind === 'file'),
      },
    };
  }

  @Get('counts')
  @Roles(...QUEUE_READERS)
  async counts(@Query() query: BankExceptionCountsQuery): Promise<Page<BankExceptionCountView>> {
    await readAfter(this.readModels, query.minPosition, PROJECTIONS);
    const page = await this.queue.listCounts(query.kind, { limit: query.limit, cursor: query.cursor });
    return { nextCursor: page.nextCursor, items: page.items.map(({ id: _id, ...count }) => count) };
  }

  @Get(':exceptionId')
  @Roles(...QUEUE_READERS)
  async get(
    @Param() { exceptionId }: BankExceptionParams,
    @Query() query: ReadAfterQueryDto,
    @CurrentContext() context: RequestContext,
  ): Promise<BankExceptionView> {
    await readAfter(this.readModels, query.minPosition, PROJECTIONS);
    const item = await this.queue.get(exceptionId);
    if (item === undefined) throw notFound('BANK_EXCEPTION_NOT_FOUND', `No exception ${exceptionId} in the queue`);
    const [shown] = await this.shown([item], context, 'GET /bank-exceptions/:exceptionId');
    return shown;
  }

  @Post(':exceptionId/assignment')
  @HttpCode(200)
  @Roles(...QUEUE_WORKERS)
  assign(
    @Param() { exceptionId }: BankExceptionParams,
    @Body() body: AssignBankExceptionDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new AssignBankExceptionCommand(exceptionId, body.assigneeId, ledgerContextOfRequest(context)),
    );
  }

  @Post(':exceptionId/resolution')
  @HttpCode(200)
  @Roles(...QUEUE_WORKERS)
  resolve(
    @Param() { exceptionId }: BankExceptionParams,
    @Body() body: ResolveBankExceptionDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new ResolveBankExceptionCommand(exceptionId, body.reason ?? '', ledgerContextOfRequest(context)),
    );
  }

  /**
   * Items as the viewer may see them: the account a line named is masked unless the role needs
   * it (personal-data policy); an inspector's unmasked read is recorded before the answer leaves.
   */
  private async shown(
    rows: readonly BankExceptionItem[],
    context: RequestContext,
    endpoint: string,
  ): Promise<BankExceptionView[]> {
    const clear = seesAccountNumbers({ role: context.actor.role, grants: context.grants });
    const revealed = clear && rows.some((row) => row.accountNumber !== null && row.accountNumber !== ERASED_VALUE);
    if (revealed) await this.accessLog.recordView(context, [], endpoint, { revealed: true });
    return rows.map(({ queueOrder: _order, accountNumber, ...row }) => ({
      ...row,
      accountNumber: accountNumber === null || clear ? accountNumber : mask(accountNumber),
    }));
  }
}
