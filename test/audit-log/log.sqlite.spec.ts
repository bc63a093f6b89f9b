import { describeLogSuite } from './log-suite';

describeLogSuite('sqlite');
