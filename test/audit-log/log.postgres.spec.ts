import { describeLogSuite } from './log-suite';

describeLogSuite('postgres');
