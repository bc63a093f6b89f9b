import { describeProjectionEngine } from './engine-suite';
import { sqliteBackend } from './support/backends';

describeProjectionEngine('SQLite (temporary files)', sqliteBackend);
