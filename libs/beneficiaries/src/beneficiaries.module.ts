import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BENEFICIARY_HANDLERS } from './application/beneficiary.handlers';
import { BulkEnrolment } from './application/bulk-enrolment';
import { BeneficiariesController } from './http/beneficiaries.controller';

@Module({
  imports: [CqrsModule],
  controllers: [BeneficiariesController],
  providers: [...BENEFICIARY_HANDLERS, BulkEnrolment],
})
export class BeneficiariesModule {}
