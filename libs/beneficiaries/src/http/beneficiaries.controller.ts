import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CommandReceipt, ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { PersonalDataAccessLog, PersonalDataSearchGuard, type SearchableKind } from '@salur/personal-data';
import { Page, ProjectionStatusService, readAfter } from '@salur/projections';
import type { IncomingMessage } from 'node:http';
import {
  ApproveBeneficiaryErasureCommand,
  BeneficiaryChange,
  BeneficiaryView,
  ChangeBeneficiaryCommand,
  EnrolBeneficiaryCommand,
  GetBeneficiaryQuery,
  RequestBeneficiaryErasureCommand,
} from '../application/beneficiary.messages';
import { beneficiariesProjection } from '../read-models/beneficiaries.projection';
import { BeneficiaryQueries } from '../read-models/beneficiary.queries';
import { BULK_ENROLMENT_COLUMNS, BulkEnrolment, BulkEnrolmentReport } from '../application/bulk-enrolment';
import { mask, seesAccountNumbers, seesIdentityNumbers } from '@salur/personal-data';
import {
  BeneficiaryListQuery,
  BeneficiaryParams,
  ChangeBankAccountDto,
  EnrolBeneficiaryDto,
  ErasureRequestDto,
  ExitBeneficiaryDto,
  ProgrammeBeneficiariesParams,
  ReasonDto,
} from './beneficiary.dto';

/** A beneficiary as a list shows it, masked for the viewer like a single read. */
interface BeneficiaryListItem {
  readonly beneficiaryId: string;
  readonly programmeId: string;
  readonly status: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: {
    readonly bankCode: string;
    readonly accountNumber: string;
    readonly accountHolderName: string;
  };
  readonly enrolledAt: string;
}

@ApiTags('beneficiaries')
@ApiBearerAuth()
@Controller()
export class BeneficiariesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly bulk: BulkEnrolment,
    private readonly beneficiaries: BeneficiaryQueries,
    private readonly readModels: ProjectionStatusService,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  @Post('programmes/:programmeId/beneficiaries')
  @Roles('enrolment-officer')
  enrol(
    @Param() { programmeId }: ProgrammeBeneficiariesParams,
    @Body() body: EnrolBeneficiaryDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new EnrolBeneficiaryCommand(programmeId, body, ledgerContextOfRequest(context)));
  }

  @Post('programmes/:programmeId/beneficiaries/bulk')
  @HttpCode(200)
  @Roles('enrolment-officer')
  @ApiConsumes('text/csv')
  @ApiBody({ description: `A registry extract with the header row ${BULK_ENROLMENT_COLUMNS.join(',')}` })
  enrolMany(
    @Param() { programmeId }: ProgrammeBeneficiariesParams,
    @Req() request: IncomingMessage,
    @CurrentContext() context: RequestContext,
  ): Promise<BulkEnrolmentReport> {
    if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) {
      throw new UnsupportedMediaTypeException('Send the registry extract as text/csv');
    }
    return this.bulk.enrol(programmeId, request, ledgerContextOfRequest(context));
  }

  @Post('beneficiaries/:beneficiaryId/bank-account')
  @HttpCode(200)
  @Roles('enrolment-officer')
  changeBankAccount(
    @Param() params: BeneficiaryParams,
    @Body() body: ChangeBankAccountDto,
    @CurrentContext() context: RequestContext,
  ) {
    return this.change(
      params,
      { type: 'ChangeBankAccount', bankAccount: body.bankAccount, reason: body.reason },
      context,
    );
  }

  @Post('beneficiaries/:beneficiaryId/suspension')
  @HttpCode(200)
  @Roles('enrolment-officer')
  suspend(@Param() params: BeneficiaryParams, @Body() body: ReasonDto, @CurrentContext() context: RequestContext) {
    return this.change(params, { type: 'SuspendBeneficiary', reason: body.reason }, context);
  }

  @Post('beneficiaries/:beneficiaryId/reinstatement')
  @HttpCode(200)
  @Roles('enrolment-officer')
  reinstate(@Param() params: BeneficiaryParams, @Body() body: ReasonDto, @CurrentContext() context: RequestContext) {
    return this.change(params, { type: 'ReinstateBeneficiary', reason: body.reason }, context);
  }

  @Post('beneficiaries/:beneficiaryId/exit')
  @HttpCode(200)
  @Roles('enrolment-officer')
  exit(
    @Param() params: BeneficiaryParams,
    @Body() body: ExitBeneficiaryDto,
    @CurrentContext() context: RequestContext,
  ) {
    return this.change(params, { type: 'ExitBeneficiary', reason: body.reason, note: body.note }, context);
  }

  /**
   * The list, masked for the viewer. `nik` and `kk` search by a whole number: only for roles that see
   * it in clear, rationed per person (PersonalDataSearchGuard) and recorded even when nothing is found.
   */
  /** The first admin asks for erasure (UU 27/2022); refused while retention runs or a payment moves. */
  @Post('beneficiaries/:beneficiaryId/erasure')
  @HttpCode(200)
  @Roles('admin')
  requestErasure(
    @Param() { beneficiaryId }: BeneficiaryParams,
    @Body() body: ErasureRequestDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new RequestBeneficiaryErasureCommand(beneficiaryId, body.reason, ledgerContextOfRequest(context)),
    );
  }

  /** Another admin approves: BeneficiaryErased, then the beneficiary's key is deleted for good. */
  @Post('beneficiaries/:beneficiaryId/erasure/approval')
  @HttpCode(200)
  @Roles('admin')
  approveErasure(
    @Param() { beneficiaryId }: BeneficiaryParams,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new ApproveBeneficiaryErasureCommand(beneficiaryId, ledgerContextOfRequest(context)));
  }

  @Get('beneficiaries')
  @Roles('enrolment-officer', 'programme-officer', 'finance-officer', 'inspector', 'admin')
  @UseGuards(PersonalDataSearchGuard)
  async list(
    @Query() query: BeneficiaryListQuery,
    @CurrentContext() context: RequestContext,
  ): Promise<Page<BeneficiaryListItem>> {
    await readAfter(this.readModels, query.minPosition, [beneficiariesProjection.name]);
    const { programmeId, status, regionCodePrefix, nik, kk, limit, cursor } = query;
    const page = await this.beneficiaries.list({ programmeId, status, regionCodePrefix, nik, kk }, { limit, cursor });
    const viewer = { role: context.actor.role, grants: context.grants };
    const identity = seesIdentityNumbers(viewer);
    const account = seesAccountNumbers(viewer);
    const searchedBy: SearchableKind[] = [
      ...(nik === undefined ? [] : ['nik' as const]),
      ...(kk === undefined ? [] : ['kk' as const]),
    ];
    // An inspector's unmasked read or search is recorded before the answer leaves (PersonalDataViewed).
    if (identity || account) {
      await this.accessLog.recordView(
        context,
        page.items.map((row) => row.id),
        'GET /beneficiaries',
        { searchedBy },
      );
    }
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row) => ({
        beneficiaryId: row.id,
        programmeId: row.programmeId,
        status: row.status,
        nik: identity ? row.nik : mask(row.nik),
        kk: identity ? row.kk : mask(row.kk),
        name: row.name,
        regionCode: row.regionCode,
        bankAccount: {
          bankCode: row.bankCode,
          accountNumber: account ? row.accountNumber : mask(row.accountNumber),
          accountHolderName: row.accountHolderName,
        },
        enrolledAt: row.enrolledAt,
      })),
    };
  }

  @Get('beneficiaries/:beneficiaryId')
  @Roles('enrolment-officer', 'programme-officer', 'finance-officer', 'bank-integration', 'inspector', 'admin')
  async get(
    @Param() { beneficiaryId }: BeneficiaryParams,
    @CurrentContext() context: RequestContext,
  ): Promise<BeneficiaryView> {
    const view = await this.queries.execute(
      new GetBeneficiaryQuery(beneficiaryId, { role: context.actor.role, grants: context.grants }),
    );
    // An inspector's unmasked read is recorded before the answer leaves (PersonalDataViewed).
    if (!view.masked)
      await this.accessLog.recordView(context, [view.beneficiaryId], 'GET /beneficiaries/:beneficiaryId');
    return view;
  }

  private change(
    { beneficiaryId }: BeneficiaryParams,
    change: BeneficiaryChange,
    context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new ChangeBeneficiaryCommand(beneficiaryId, change, ledgerContextOfRequest(context)));
  }
}
