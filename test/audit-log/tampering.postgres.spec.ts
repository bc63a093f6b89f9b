import { describeTamperingSuite } from './tampering-suite';

describeTamperingSuite('postgres');
