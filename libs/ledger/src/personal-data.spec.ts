import { BANK_EXCEPTION_EVENTS, BANK_FILE_EVENTS } from '@salur/bank-integration/domain';
import { BATCH_EVENTS } from '@salur/batches/domain';
import { BENEFICIARY_EVENTS, BENEFICIARY_STREAM_PREFIX } from '@salur/beneficiaries/domain';
import { PAYMENT_EVENTS } from '@salur/payments/domain';
import { PROGRAMME_EVENTS } from '@salur/programmes/domain';
import { LEDGER_PERSONAL_DATA } from './index';

/*
 * A declaration that names no event, or a subject under another prefix, would seal nothing or seal
 * with the wrong person's key, silently: the log would then hold clear data or an erasure would
 * miss some. The compiler cannot see either.
 */
const KNOWN_TYPES = new Set<string>(
  [BENEFICIARY_EVENTS, PAYMENT_EVENTS, BATCH_EVENTS, PROGRAMME_EVENTS, BANK_FILE_EVENTS, BANK_EXCEPTION_EVENTS].flatMap(
    (registry) => [...registry.types],
  ),
);

describe("the ledger's personal data declarations", () => {
  it('name only event types the ledger records', () => {
    expect(Object.keys(LEDGER_PERSONAL_DATA).filter((type) => !KNOWN_TYPES.has(type))).toEqual([]);
  });

  it("give a beneficiary's data, wherever it appears, to the beneficiary's own subject", () => {
    for (const [type, spec] of Object.entries(LEDGER_PERSONAL_DATA)) {
      const personal = spec.fields.some((field) => field.kind !== 'free-text');
      if ('stream' in spec.subject) {
        // Only bank files name accounts by stream: a line the bank sent that matched nobody.
        if (personal) expect(type).toBe('BankResultException');
        continue;
      }
      expect(spec.subject.prefix).toBe(BENEFICIARY_STREAM_PREFIX);
    }
  });

  it('seal every NIK, KK, name and account of enrolment, account changes and payment claims', () => {
    const paths = (type: string) => LEDGER_PERSONAL_DATA[type].fields.map((field) => field.path);
    expect(paths('BeneficiaryEnrolled')).toEqual(
      expect.arrayContaining(['nik', 'kk', 'name', 'bankAccount.accountNumber', 'bankAccount.accountHolderName']),
    );
    expect(paths('BankAccountChanged')).toEqual(
      expect.arrayContaining(['previousBankAccount.accountNumber', 'bankAccount.accountNumber']),
    );
    expect(paths('PaymentBatched')).toEqual(['account.accountNumber', 'account.accountHolderName']);
    expect(paths('PaymentReissued')).toEqual(
      expect.arrayContaining(['previousAccount.accountNumber', 'account.accountNumber']),
    );
  });
});
