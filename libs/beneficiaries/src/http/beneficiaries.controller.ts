import { Body, Controller, Get, HttpCode, Param, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CommandReceipt, ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import type { IncomingMessage } from 'node:http';
import {
  BeneficiaryChange,
  BeneficiaryView,
  ChangeBeneficiaryCommand,
  EnrolBeneficiaryCommand,
  GetBeneficiaryQuery,
} from '../application/beneficiary.messages';
import { BULK_ENROLMENT_COLUMNS, BulkEnrolment, BulkEnrolmentReport } from '../application/bulk-enrolment';
import {
  BeneficiaryParams,
  ChangeBankAccountDto,
  EnrolBeneficiaryDto,
  ExitBeneficiaryDto,
  ProgrammeBeneficiariesParams,
  ReasonDto,
} from './beneficiary.dto';

@ApiTags('beneficiaries')
@ApiBearerAuth()
@Controller()
export class BeneficiariesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly bulk: BulkEnrolment,
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

  @Get('beneficiaries/:beneficiaryId')
  @Roles('enrolment-officer', 'programme-officer', 'finance-officer', 'bank-integration', 'inspector', 'admin')
  get(
    @Param() { beneficiaryId }: BeneficiaryParams,
    @CurrentContext() context: RequestContext,
  ): Promise<BeneficiaryView> {
    return this.queries.execute(
      new GetBeneficiaryQuery(beneficiaryId, { role: context.actor.role, grants: context.grants }),
    );
  }

  private change(
    { beneficiaryId }: BeneficiaryParams,
    change: BeneficiaryChange,
    context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new ChangeBeneficiaryCommand(beneficiaryId, change, ledgerContextOfRequest(context)));
  }
}
