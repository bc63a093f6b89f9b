// Personal data: masking for the viewer, and the record of every unmasked read.
export * from './personal-data-viewed';
export { PersonalDataAccessLog, MAX_BENEFICIARIES_PER_RECORD } from './personal-data-access-log';
export * from './personal-data.policy';
