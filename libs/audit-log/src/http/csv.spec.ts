import { csvCell, csvLine } from './csv';

describe('CSV cells', () => {
  it('defuses whatever a spreadsheet would run as a formula', () => {
    for (const formula of ['=1+2', '+1', '-1-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(formula).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('quotes commas, quotes and line breaks, and leaves plain values as they are', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain', 42, null])).toBe(
      '"a,b","say ""hi""","two\nlines",plain,42,\r\n',
    );
    expect(csvCell('1606014509850003')).toBe('1606014509850003');
  });
});
