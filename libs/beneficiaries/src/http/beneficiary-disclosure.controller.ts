import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentContext, ErrorResponse, ReadAfterQueryDto, RequestContext, Roles } from '@salur/http';
import { ERASED_VALUE, forbidden, notFound, PERSONAL_DATA_KINDS, type PersonalDataKind } from '@salur/kernel';
import { PersonalDataAccessLog, PersonalDataVault, seesIdentityNumbers } from '@salur/personal-data';
import { ProjectionStatusService, readAfter } from '@salur/projections';
import { erasedError } from '../domain/beneficiary.guards';
import { beneficiaryStreamName } from '../domain/beneficiary.state';
import { beneficiariesProjection } from '../read-models/beneficiaries.projection';
import { BeneficiaryQueries, type BeneficiaryView } from '../read-models/beneficiary.queries';
import { BeneficiaryParams } from './beneficiary.dto';

/** The route as PersonalDataViewed names it: the endpoint is the read's purpose (a disclosure). */
const DISCLOSURE_ENDPOINT = 'GET /beneficiaries/:beneficiaryId/disclosure';

/** The kinds a beneficiary's record holds now, in the order they are answered. */
const DISCLOSED: ReadonlyArray<readonly [PersonalDataKind, (view: BeneficiaryView) => string]> = [
  ['nik', (view) => view.nik],
  ['kk', (view) => view.kk],
  ['name', (view) => view.name],
  ['account-number', (view) => view.accountNumber],
  ['account-holder-name', (view) => view.accountHolderName],
];

export class DisclosedField {
  @ApiProperty({ enum: PERSONAL_DATA_KINDS, example: 'account-number' })
  readonly kind!: PersonalDataKind;

  @ApiProperty({ example: '001901000378301', description: 'The current value, in clear' })
  readonly value!: string;

  @ApiProperty({
    description: "base64url, 32 bytes: the key of this beneficiary's commitments of this kind (salur-verify disclose)",
  })
  readonly commitmentKey!: string;
}

export class BeneficiaryDisclosure {
  @ApiProperty({ format: 'uuid' })
  readonly beneficiaryId!: string;

  @ApiProperty({ example: 'beneficiary-…', description: "The sealed fields' subject" })
  readonly subject!: string;

  @ApiProperty({ type: [DisclosedField] })
  readonly fields!: DisclosedField[];
}

/**
 * A beneficiary's current personal data with the keys of its commitments, so whoever may see it
 * (or the beneficiary, handed the answer) can check with `salur-verify disclose` that a proof's
 * sealed fields commit to exactly these values. A commitment key opens nothing, but it lets its
 * holder test guesses of that kind for that person, so it is given only to who sees the value.
 */
@ApiTags('beneficiaries')
@ApiBearerAuth()
@Controller()
export class BeneficiaryDisclosureController {
  constructor(
    private readonly beneficiaries: BeneficiaryQueries,
    private readonly vault: PersonalDataVault,
    private readonly readModels: ProjectionStatusService,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  @Get('beneficiaries/:beneficiaryId/disclosure')
  @Roles('inspector', 'admin')
  // Clear values and keys: no shared cache or browser may keep a copy.
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: BeneficiaryDisclosure })
  @ApiNotFoundResponse({ description: 'BENEFICIARY_NOT_FOUND (pass minPosition after enrolling)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'BENEFICIARY_ERASED', type: ErrorResponse })
  async disclose(
    @Param() { beneficiaryId }: BeneficiaryParams,
    @Query() query: ReadAfterQueryDto,
    @CurrentContext() context: RequestContext,
  ): Promise<BeneficiaryDisclosure> {
    // Checked before anything is read, so a refused inspector learns not even whether the beneficiary exists.
    if (!seesIdentityNumbers({ role: context.actor.role, grants: context.grants })) {
      throw forbidden('PII_GRANT_REQUIRED', 'A disclosure shows personal data in clear: it needs the pii grant');
    }
    await readAfter(this.readModels, query.minPosition, [beneficiariesProjection.name]);
    const view = await this.beneficiaries.getById(beneficiaryId);
    if (view === undefined) throw notFound('BENEFICIARY_NOT_FOUND', `No beneficiary ${beneficiaryId}`);
    const subject = beneficiaryStreamName(beneficiaryId);
    const fields: DisclosedField[] = [];
    for (const [kind, valueOf] of DISCLOSED) {
      const value = valueOf(view);
      const key = await this.vault.commitmentKey(subject, kind);
      // Either side erased (the key may go between the two reads): nothing left to disclose.
      if (key === 'erased' || value === ERASED_VALUE) throw erasedError(beneficiaryId);
      fields.push({ kind, value, commitmentKey: key.toString('base64url') });
    }
    // Recorded before the answer leaves (PersonalDataViewed), for admins too: the keys outlive
    // the request. Never logged.
    await this.accessLog.recordView(context, [beneficiaryId], DISCLOSURE_ENDPOINT, { whoever: true });
    return { beneficiaryId, subject, fields };
  }
}
