import { DomainError } from './domain-error';
import { canonicalUserId, sameUserId, USER_ID_PATTERN } from './user-id';

describe('canonicalUserId', () => {
  it.each([
    ['FO-MAKER', 'fo-maker'],
    [' fo-maker ', 'fo-maker'],
    ['fo-maker ', 'fo-maker'],
    ['\tFo-Maker\n', 'fo-maker'],
    ['fo-maker', 'fo-maker'],
    ['Siti.Aminah@DinSos.go.id', 'siti.aminah@dinsos.go.id'],
    ['u_17', 'u_17'],
    ['7', '7'],
    ['a'.repeat(128), 'a'.repeat(128)],
  ])('reads %j as %j', (raw, canonical) => {
    expect(canonicalUserId(raw)).toBe(canonical);
    expect(canonicalUserId(canonical)).toBe(canonical);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a Cyrillic о in fо-maker', 'f\u043e-maker'],
    ['a Cyrillic capital О in FО-MAKER', 'F\u041e-MAKER'],
    ['the Kelvin sign, which lower-cases to an ASCII k', '\u212aai'],
    ['a fullwidth letter', '\uff46o-maker'],
    ['a space inside', 'fo maker'],
    ['a zero-width space inside', 'fo\u200b-maker'],
    ['a leading dot', '.fo-maker'],
    ['a leading dash', '-fo-maker'],
    ['a colon', 'system:jobs'],
    ['a slash', 'fo/maker'],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 17],
    ['nothing', undefined],
  ])('refuses %s with INVALID_USER_ID', (_, raw) => {
    let thrown: unknown;
    try {
      canonicalUserId(raw, 'sub');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'invalid', code: 'INVALID_USER_ID', field: 'sub' });
  });

  it('returns only ids that match its own pattern', () => {
    for (const raw of ['FO-MAKER', ' x ', 'A.B_C@D-E']) expect(canonicalUserId(raw)).toMatch(USER_ID_PATTERN);
  });
});

describe('sameUserId', () => {
  it('treats case and surrounding spaces as one person, even in ids recorded before they were canonical', () => {
    expect(sameUserId('FO-MAKER', 'fo-maker')).toBe(true);
    expect(sameUserId('fo-maker ', ' FO-maker')).toBe(true);
  });

  it('keeps different people and look-alikes apart', () => {
    expect(sameUserId('fo-maker', 'fo-approver')).toBe(false);
    expect(sameUserId('f\u043e-maker', 'fo-maker')).toBe(false);
  });
});
