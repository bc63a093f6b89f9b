import { describeProjectionEngine } from './engine-suite';
import { postgresBackend } from './support/backends';

describeProjectionEngine('PostgreSQL (a fresh database per test)', postgresBackend);
