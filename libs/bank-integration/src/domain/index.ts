export * from './bank-file.events';
export * from './bank-exception.events';
export * from './bank-exception.decider';
export * from './bank-exception-sources';
export * from './bank-result-line';
export * from './bank-routing';
export * from './bank-csv';
export * from './bank-result-csv';
export * from './bounded-xml';
export * from './camt054-reader';
export * from './credit-transfer';
export * from './end-to-end-id';
export * from './pain001-reader';
export * from './pain001-writer';
export * from './pain002-reader';
export * from './reconcile';
export * from './xml-text';
// The batch events of this capability live with the batch aggregate; re-exported for readers.
export type { BatchFileGenerated, BatchSubmitted, BatchFileFormat } from '@salur/batches/domain';
