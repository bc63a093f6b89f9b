import {
  commitmentKeyOf,
  newDataKey,
  open,
  opensCommitment,
  seal,
  SealedFieldTamperedError,
  unwrapDataKey,
  wrapDataKey,
} from './seal-crypto';

const SUBJECT = 'beneficiary-7d1c';
const NIK = '3174011501900003';

describe('sealed personal data', () => {
  const key = newDataKey();

  it('opens to the value it sealed, and the envelope carries no trace of it', () => {
    const field = seal(key, SUBJECT, 'nik', NIK);
    expect(open(key, field)).toBe(NIK);
    expect(JSON.stringify(field)).not.toContain(NIK);
    expect(JSON.stringify(field)).not.toContain('3174');
  });

  it('encrypts the same value differently each time but commits to it the same way', () => {
    const first = seal(key, SUBJECT, 'account-number', '001901000378301');
    const second = seal(key, SUBJECT, 'account-number', '001901000378301');
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(first.commitment).toBe(second.commitment);
  });

  it('lets whoever holds the kind key check the value, and only that value', () => {
    const field = seal(key, SUBJECT, 'nik', NIK);
    const disclosed = commitmentKeyOf(key, 'nik');
    expect(opensCommitment(field.commitment, disclosed, NIK)).toBe(true);
    expect(opensCommitment(field.commitment, disclosed, '3174011501900004')).toBe(false);
    // The key of another kind opens nothing of this one.
    expect(opensCommitment(field.commitment, commitmentKeyOf(key, 'kk'), NIK)).toBe(false);
  });

  it('refuses an envelope moved to another subject or kind, or altered', () => {
    const field = seal(key, SUBJECT, 'nik', NIK);
    expect(() => open(key, { ...field, subject: 'beneficiary-other' })).toThrow(SealedFieldTamperedError);
    expect(() => open(key, { ...field, kind: 'kk' })).toThrow(SealedFieldTamperedError);
    const bytes = Buffer.from(field.ciphertext, 'base64url');
    bytes[14] ^= 1;
    expect(() => open(key, { ...field, ciphertext: bytes.toString('base64url') })).toThrow(SealedFieldTamperedError);
    expect(() => open(newDataKey(), field)).toThrow(SealedFieldTamperedError);
  });

  it('wraps a data key for one subject only', () => {
    const master = newDataKey();
    const wrapped = wrapDataKey(master, SUBJECT, key);
    expect(unwrapDataKey(master, SUBJECT, wrapped).equals(key)).toBe(true);
    expect(() => unwrapDataKey(master, 'beneficiary-other', wrapped)).toThrow();
  });
});
