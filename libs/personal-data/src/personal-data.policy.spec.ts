import { ROLES } from '@salur/kernel';
import { mask, maskData, seesAccountNumbers, seesIdentityNumbers } from './personal-data.policy';

describe('who sees personal numbers', () => {
  it('shows identity numbers to enrolment officers, admins and granted inspectors; accounts also to the bank job', () => {
    for (const role of ROLES) {
      for (const grants of [[], ['pii']]) {
        const viewer = { role, grants };
        const identity =
          role === 'enrolment-officer' || role === 'admin' || (role === 'inspector' && grants.includes('pii'));
        expect({ role, grants, identity: seesIdentityNumbers(viewer), account: seesAccountNumbers(viewer) }).toEqual({
          role,
          grants,
          identity,
          account: identity || role === 'bank-integration',
        });
      }
    }
    expect(mask('1606014509850003')).toBe('1606********0003');
    expect(mask('001901000378301')).toBe('0019*******8301');
    expect(mask('1234567')).toBe('*******');
    expect(mask('')).toBe('');
  });

  it('masks only string fields named nik, kk or accountNumber, at any depth, and leaves the data itself alone', () => {
    const data = { nik: '1606014509850003', items: [{ account: { accountNumber: '001901000378301' } }], note: 'nik' };
    const copy = structuredClone(data);
    expect(maskData(data, { role: 'finance-officer', grants: [] })).toEqual({
      data: { nik: '1606********0003', items: [{ account: { accountNumber: '0019*******8301' } }], note: 'nik' },
      revealed: false,
    });
    expect(data).toEqual(copy);
    expect(maskData({ nik: null, kk: 5 }, { role: 'inspector', grants: [] })).toEqual({
      data: { nik: null, kk: 5 },
      revealed: false,
    });
    expect(maskData(data, { role: 'admin', grants: [] })).toEqual({ data, revealed: true });
  });
});
