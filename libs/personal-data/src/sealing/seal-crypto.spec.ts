import { createDecipheriv, createHmac } from 'node:crypto';
import {
  commitmentKeyOf,
  newDataKey,
  open,
  opensCommitment,
  seal,
  SealedFieldTamperedError,
  SearchKeys,
  SubjectKeys,
  unwrapDataKey,
  wrapDataKey,
} from './seal-crypto';
import type { SealedField } from './sealed-field';

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

/**
 * The stored bytes are the log's (and the Merkle log's leaves): a change of the format, or of a key
 * derivation, would leave every field already sealed unreadable. Sealed by the first release.
 */
describe('the salur-pd/1 format', () => {
  const DATA_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const MASTER_KEY = Buffer.from('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f', 'hex');
  const SEALED_NIK: SealedField = {
    sealed: 'salur-pd/1',
    subject: 'beneficiary-7d1c',
    kind: 'nik',
    commitment: 'PfOtxqG3QifcsEJDCuikzob5qu_fQTY5O8tJ03bpIFk',
    ciphertext: '1OB8XqDbVSRzhcombonjpOFCNYYEzd8blFaAjtdLuxabDV_eQg6XEVmW2Ko',
  };
  const SEALED_ACCOUNT: SealedField = {
    sealed: 'salur-pd/1',
    subject: 'beneficiary-7d1c',
    kind: 'account-number',
    commitment: 'aRCREsZ-M_w_21KYiqxpYHfoIlj0NkfQm9lW6Cc8pGY',
    ciphertext: 'LkL_0tJmE_4O7O8Dw9JLBc9DD81ZpK0sGRMjZiBCF2n-atQFMDYkVGxOIQ',
  };
  const ACCOUNT = '001901000378301';

  it('opens fields sealed by earlier releases, and derives the keys they did', () => {
    expect(open(DATA_KEY, SEALED_NIK)).toBe(NIK);
    const keys = new SubjectKeys(DATA_KEY);
    expect(open(keys, SEALED_NIK)).toBe(NIK);
    expect(open(keys, SEALED_ACCOUNT)).toBe(ACCOUNT);
    expect(keys.commitmentKey('nik').toString('base64url')).toBe('HPjiIbxcGzvCbzKvspX5hYQXHU6299uLbgb1Tn6-GAY');
    expect(commitmentKeyOf(DATA_KEY, 'nik').equals(keys.commitmentKey('nik'))).toBe(true);
    expect(new SearchKeys(MASTER_KEY).of('nik', NIK)).toBe('dQCflPOAl_ilCIfE3vQ4KQpTThB28tLUOI228stsTLs');
    expect(
      unwrapDataKey(
        MASTER_KEY,
        SUBJECT,
        'U4XsMomsaVw7cfn30u_rgj4BE1IbW0dWGiJcHxZhWyOiNlDew-E6m3tOvwNfEQnETDGSx40n2NiwUXFc',
      ).equals(DATA_KEY),
    ).toBe(true);
  });

  it('seals as they did: the same commitment, AES-256-GCM under the derived key, the envelope bound', () => {
    const field = seal(new SubjectKeys(DATA_KEY), SUBJECT, 'nik', NIK);
    expect(Object.keys(field)).toEqual(['sealed', 'subject', 'kind', 'commitment', 'ciphertext']);
    expect(field).toMatchObject({
      sealed: 'salur-pd/1',
      subject: SUBJECT,
      kind: 'nik',
      commitment: SEALED_NIK.commitment,
    });
    // Opened here from the format's description alone: iv (12) ‖ ciphertext ‖ tag (16), base64url.
    const encryptionKey = createHmac('sha256', DATA_KEY).update('salur-pd/1 encryption', 'utf8').digest();
    const packed = Buffer.from(field.ciphertext, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, packed.subarray(0, 12));
    decipher.setAAD(Buffer.from(`salur-pd/1\n${SUBJECT}\nnik\n${field.commitment}`, 'utf8'));
    decipher.setAuthTag(packed.subarray(packed.length - 16));
    const clear = Buffer.concat([decipher.update(packed.subarray(12, packed.length - 16)), decipher.final()]);
    expect(clear.toString('utf8')).toBe(NIK);
  });
});
