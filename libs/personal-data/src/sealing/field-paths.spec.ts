import { replaceAt, segmentsOf, valuesAt } from './field-paths';

describe('personal-data paths', () => {
  const data = { items: [{ account: { accountNumber: '1' } }, { account: { accountNumber: '2' } }], note: 'x' };

  it('reaches every element of an array', () => {
    expect(valuesAt(data, segmentsOf('items[].account.accountNumber'))).toEqual(['1', '2']);
  });

  it('replaces copy-on-write and leaves absent paths alone', () => {
    const replaced = replaceAt(data, segmentsOf('items[].account.accountNumber'), (leaf) => `#${String(leaf)}`);
    expect(replaced).toEqual({
      items: [{ account: { accountNumber: '#1' } }, { account: { accountNumber: '#2' } }],
      note: 'x',
    });
    expect(data.items[0].account.accountNumber).toBe('1');
    expect(replaceAt(data, segmentsOf('missing.field'), () => 'y')).toBe(data);
  });

  it('refuses a malformed path', () => {
    expect(() => segmentsOf('a..b')).toThrow(/malformed/);
  });
});
