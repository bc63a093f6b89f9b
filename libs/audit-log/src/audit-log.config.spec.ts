import { ConfigurationError } from '@salur/config';
import { auditLogConfigFrom, DEFAULT_CHECKPOINT_ORIGIN } from './audit-log.config';
import { ED25519_COSIGNATURE_V1, generateNoteKey } from './domain';

describe('auditLogConfigFrom', () => {
  it('without CHECKPOINT_SIGNING_KEY, makes an ephemeral development key named after the origin', () => {
    const config = auditLogConfigFrom({});
    expect(config).toMatchObject({
      origin: DEFAULT_CHECKPOINT_ORIGIN,
      ephemeralKey: true,
      checkpointIntervalMs: 10_000,
      witnesses: [],
    });
    expect(config.signingKey.name).toBe(DEFAULT_CHECKPOINT_ORIGIN);
    expect(auditLogConfigFrom({}).signingKey.verifier.vkey).not.toBe(config.signingKey.verifier.vkey);
    expect(config.database.dialect).toBe('sqlite');
  });

  it('reads the key, the origin, the interval and the witnesses', () => {
    const key = generateNoteKey('ledger.example.go.id/salur');
    const witness = generateNoteKey('inspectorate.example/w1', ED25519_COSIGNATURE_V1);
    const config = auditLogConfigFrom({
      CHECKPOINT_SIGNING_KEY: key.signerKey,
      CHECKPOINT_ORIGIN: 'ledger.example.go.id/salur',
      CHECKPOINT_INTERVAL: '2m',
      AUDIT_WITNESS_KEYS: ` ${witness.vkey} `,
      EVENT_STORE: 'postgres',
    });
    expect(config.ephemeralKey).toBe(false);
    expect(config.signingKey.verifier.vkey).toBe(key.vkey);
    expect(config.checkpointIntervalMs).toBe(120_000);
    expect(config.witnesses.map((w) => w.vkey)).toEqual([witness.vkey]);
    expect(config.database.dialect).toBe('postgres');
    expect(auditLogConfigFrom({ CHECKPOINT_INTERVAL: '500ms' }).checkpointIntervalMs).toBe(500);
    expect(auditLogConfigFrom({ CHECKPOINT_INTERVAL: '30' }).checkpointIntervalMs).toBe(30_000);
  });

  it.each([
    ['CHECKPOINT_SIGNING_KEY', 'PRIVATE+KEY+x+00000000+AAAA', /CHECKPOINT_SIGNING_KEY: .*audit keygen/],
    ['CHECKPOINT_SIGNING_KEY', generateNoteKey('w', ED25519_COSIGNATURE_V1).signerKey, /cosigner \(witness\) key/],
    ['CHECKPOINT_ORIGIN', 'two words', /CHECKPOINT_ORIGIN: 'two words' must be non-empty/],
    ['CHECKPOINT_INTERVAL', '10h', /CHECKPOINT_INTERVAL: '10h' is not a duration/],
    ['CHECKPOINT_INTERVAL', '50ms', /CHECKPOINT_INTERVAL/],
    ['AUDIT_WITNESS_KEYS', 'nonsense', /AUDIT_WITNESS_KEYS/],
  ])('refuses a bad %s, naming it', (variable, value, message) => {
    expect(() => auditLogConfigFrom({ [variable]: value })).toThrow(ConfigurationError);
    expect(() => auditLogConfigFrom({ [variable]: value })).toThrow(message);
  });

  it('never repeats a bad signing key in its message', () => {
    const secret = 'PRIVATE+KEY+x+00000000+c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==';
    expect(() => auditLogConfigFrom({ CHECKPOINT_SIGNING_KEY: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }),
    );
  });
});
