import { commitmentKeyOf, seal } from '@salur/personal-data';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The verifier's disclosure check is plain CommonJS on purpose (an inspector reads it whole).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../../tools/salur-verify.js') as {
  main(argv: string[]): { code: number; line: string };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { disclosedIn } = require('../../tools/salur-verify-disclosure.js') as {
  disclosedIn(
    document: unknown,
    options: { kind: string; value: string; commitmentKey: string },
  ): { leafIndex: number; type: string; path: string; subject: string }[];
};

const ACCOUNT = '001901000378301';
const SUBJECT = 'beneficiary-b1';

function leaf(leafIndex: number, type: string, data: unknown) {
  const bytes = JSON.stringify({
    id: 'x',
    stream: 'payment-p1',
    revision: leafIndex,
    type,
    data,
    metadata: {},
    recordedAt: '',
  });
  return { leafIndex, type, leafBytes: Buffer.from(bytes).toString('base64'), inclusionPath: [] };
}

describe('salur-verify disclose', () => {
  const dataKey = randomBytes(32);
  const document = {
    format: 'salur-proof/v2',
    events: [
      leaf(3, 'PaymentScheduled', { amount: '600000.00' }),
      leaf(4, 'PaymentBatched', {
        account: { bankCode: '002', accountNumber: seal(dataKey, SUBJECT, 'account-number', ACCOUNT) },
      }),
    ],
  };
  const accountKey = commitmentKeyOf(dataKey, 'account-number').toString('base64url');

  it('finds the events that commit to the disclosed value', () => {
    expect(disclosedIn(document, { kind: 'account-number', value: ACCOUNT, commitmentKey: accountKey })).toEqual([
      { leafIndex: 4, type: 'PaymentBatched', stream: 'payment-p1', path: 'account.accountNumber', subject: SUBJECT },
    ]);
  });

  it('finds nothing for another value, another kind or another key', () => {
    expect(
      disclosedIn(document, { kind: 'account-number', value: '001901000378302', commitmentKey: accountKey }),
    ).toEqual([]);
    expect(disclosedIn(document, { kind: 'nik', value: ACCOUNT, commitmentKey: accountKey })).toEqual([]);
    const otherKey = commitmentKeyOf(randomBytes(32), 'account-number').toString('base64url');
    expect(disclosedIn(document, { kind: 'account-number', value: ACCOUNT, commitmentKey: otherKey })).toEqual([]);
  });

  it('refuses a malformed key or kind', () => {
    expect(() => disclosedIn(document, { kind: 'salary', value: ACCOUNT, commitmentKey: accountKey })).toThrow(
      /--kind/,
    );
    expect(() => disclosedIn(document, { kind: 'nik', value: ACCOUNT, commitmentKey: 'abc' })).toThrow(/32 bytes/);
  });

  it('answers on the command line: exit 0 naming the leaf, 1 for a value not committed, 2 for wrong usage', () => {
    const directory = mkdtempSync(join(tmpdir(), 'salur-disclose-'));
    try {
      const file = join(directory, 'proof.json');
      writeFileSync(file, JSON.stringify(document));
      const ask = (value: string, key = accountKey) =>
        main(['disclose', file, '--kind', 'account-number', '--value', value, '--commitment-key', key]);
      const found = ask(ACCOUNT);
      expect(found.code).toBe(0);
      expect(found.line).toMatch(/leaf 4 PaymentBatched account\.accountNumber/);
      expect(ask('001901000378302').code).toBe(1);
      expect(ask(ACCOUNT, 'short').code).toBe(2);
      expect(main(['disclose', file, '--kind', 'account-number']).code).toBe(2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
