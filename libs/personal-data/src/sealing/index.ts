export * from './sealed-field';
export {
  commitmentKeyOf,
  commitmentOf,
  opensCommitment,
  seal,
  open as openSealed,
  SealedFieldTamperedError,
} from './seal-crypto';
export * from './key-store';
export * from './personal-data.config';
export * from './personal-data-vault';
export * from './sealing-event-store';
export * from './personal-data.module';
export * from './keygen-command';
