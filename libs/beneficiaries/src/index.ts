export * from './domain';
export * from './application/beneficiary.messages';
export * from './application/bulk-enrolment';
export * from './application/personal-data';
export { BeneficiariesModule } from './beneficiaries.module';
