export * from './domain';
export * from './application/beneficiary.messages';
export * from './application/bulk-enrolment';
export { BeneficiaryErasurePass, type ErasurePassResult } from './application/beneficiary-erasure.pass';
export { BeneficiariesModule, BENEFICIARY_PROJECTIONS } from './beneficiaries.module';
export { beneficiariesProjection } from './read-models/beneficiaries.projection';
export * from './read-models/beneficiaries.tables';
export { BeneficiaryQueries } from './read-models/beneficiary.queries';
