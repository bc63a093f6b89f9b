import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataAccessLog, PersonalDataSearchModule } from '@salur/personal-data';
import { BENEFICIARY_HANDLERS } from './application/beneficiary.handlers';
import { ERASURE_HANDLERS } from './application/beneficiary-erasure.handlers';
import { BeneficiaryErasurePass } from './application/beneficiary-erasure.pass';
import { BulkEnrolment } from './application/bulk-enrolment';
import { BeneficiariesController } from './http/beneficiaries.controller';
import { BeneficiaryDisclosureController } from './http/beneficiary-disclosure.controller';
import { beneficiariesProjection } from './read-models/beneficiaries.projection';
import { BeneficiaryQueries } from './read-models/beneficiary.queries';

/** Enrolment and the beneficiary list over HTTP. Needs EVENT_STORE and the read models (ProjectionsModule). */
@Module({
  imports: [CqrsModule, PersonalDataSearchModule],
  controllers: [BeneficiariesController, BeneficiaryDisclosureController],
  providers: [
    ...BENEFICIARY_HANDLERS,
    ...ERASURE_HANDLERS,
    BeneficiaryErasurePass,
    BulkEnrolment,
    BeneficiaryQueries,
    PersonalDataAccessLog,
  ],
})
export class BeneficiariesModule {}

/** What the beneficiaries capability gives the apps to run (the lists: libs/ledger). */
export const BENEFICIARY_PROJECTIONS = [beneficiariesProjection];
