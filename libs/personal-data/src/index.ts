// Personal data: masking for the viewer, and the record of every unmasked read.
export * from './personal-data-viewed';
export {
  PersonalDataAccessLog,
  MAX_BENEFICIARIES_PER_RECORD,
  type RecordedViewOptions,
} from './personal-data-access-log';
export * from './personal-data.policy';
export * from './personal-data-search';
export * from './stored-personal-data';
export * from './sealing';
