import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataAccessLog } from '@salur/personal-data';
import { BENEFICIARY_HANDLERS } from './application/beneficiary.handlers';
import { BulkEnrolment } from './application/bulk-enrolment';
import { BeneficiariesController } from './http/beneficiaries.controller';
import { beneficiariesProjection } from './read-models/beneficiaries.projection';
import { BeneficiaryQueries } from './read-models/beneficiary.queries';

/** Enrolment and the beneficiary list over HTTP. Needs EVENT_STORE and the read models (ProjectionsModule). */
@Module({
  imports: [CqrsModule],
  controllers: [BeneficiariesController],
  providers: [...BENEFICIARY_HANDLERS, BulkEnrolment, BeneficiaryQueries, PersonalDataAccessLog],
})
export class BeneficiariesModule {}

/** What the beneficiaries capability gives the apps to run (the lists: libs/ledger). */
export const BENEFICIARY_PROJECTIONS = [beneficiariesProjection];
