import { describeTamperingSuite } from './tampering-suite';

describeTamperingSuite('sqlite');
