import { CsvRecord, parseCsvRecord, readCsvRecords } from './csv-records';

const LIMITS = { maxRecordBytes: 64, maxFileBytes: 4_096 };

async function records(text: string | Buffer, chunkBytes = 7, limits = LIMITS): Promise<CsvRecord[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
  }
  const all: CsvRecord[] = [];
  for await (const record of readCsvRecords(chunks(), limits)) all.push(record);
  return all;
}

describe('readCsvRecords', () => {
  it('reads records across chunks, with any line ending, skipping blank lines', async () => {
    expect(await records('a,b\r\n\r\n  \n1, 2 \r3,"x"\n')).toEqual([
      { kind: 'fields', row: 1, fields: ['a', 'b'] },
      { kind: 'fields', row: 2, fields: ['1', '2'] },
      { kind: 'fields', row: 3, fields: ['3', 'x'] },
    ]);
  });

  it('reports a row over the bound as that row, and goes on with the next ones', async () => {
    const long = `9,${'x'.repeat(200)}`;
    for (const chunkBytes of [1, 7, 4_096]) {
      expect(await records(`a,b\n1,2\n${long}\n3,4`, chunkBytes)).toEqual([
        { kind: 'fields', row: 1, fields: ['a', 'b'] },
        { kind: 'fields', row: 2, fields: ['1', '2'] },
        { kind: 'refused', row: 3, code: 'ROW_TOO_LONG', reason: 'the row is longer than the limit of 64 bytes' },
        { kind: 'fields', row: 4, fields: ['3', '4'] },
      ]);
    }
  });

  it('takes a row of exactly the bound', async () => {
    const exact = `1,${'x'.repeat(62)}`;
    expect(await records(`${exact}\n`)).toEqual([{ kind: 'fields', row: 1, fields: ['1', 'x'.repeat(62)] }]);
    expect(await records(`${exact}y\n`)).toMatchObject([{ kind: 'refused', code: 'ROW_TOO_LONG' }]);
  });

  it('keeps line breaks and commas inside quotes, and says when a quote never closes', async () => {
    expect(await records('"a\nb","c,d",""""\n2')).toEqual([
      { kind: 'fields', row: 1, fields: ['a\nb', 'c,d', '"'] },
      { kind: 'fields', row: 2, fields: ['2'] },
    ]);
    expect(await records(`1,2\n"open${'x'.repeat(100)}\n3,4\n`)).toEqual([
      { kind: 'fields', row: 1, fields: ['1', '2'] },
      {
        kind: 'refused',
        row: 2,
        code: 'ROW_TOO_LONG',
        reason:
          'the row is longer than the limit of 64 bytes (it opens a quoted field that does not close: is a quote missing?)',
      },
    ]);
  });

  it('reports a malformed or non-UTF-8 row as that row', async () => {
    const text = Buffer.concat([
      Buffer.from('a,b\nx"y,1\n"a" b,2\n'),
      Buffer.from([0x31, 0x2c, 0xff, 0x0a]),
      Buffer.from('5,6\n'),
    ]);
    expect(await records(text)).toEqual([
      { kind: 'fields', row: 1, fields: ['a', 'b'] },
      {
        kind: 'refused',
        row: 2,
        code: 'MALFORMED_ROW',
        reason: 'field 1 has a quote inside it: quote the whole field',
      },
      { kind: 'refused', row: 3, code: 'MALFORMED_ROW', reason: 'field 1 has text after its closing quote' },
      { kind: 'refused', row: 4, code: 'MALFORMED_ROW', reason: 'the row is not valid UTF-8 text' },
      { kind: 'fields', row: 5, fields: ['5', '6'] },
    ]);
  });

  it('drops a byte order mark at the start only', async () => {
    expect(await records('\uFEFFa,b\n\uFEFFc,d')).toEqual([
      { kind: 'fields', row: 1, fields: ['a', 'b'] },
      { kind: 'fields', row: 2, fields: ['\uFEFFc', 'd'] },
    ]);
  });

  it('stops at the file bound', async () => {
    expect(await records('a,b\n1,2\n3,4\n', 4, { maxRecordBytes: 64, maxFileBytes: 10 })).toEqual([
      { kind: 'fields', row: 1, fields: ['a', 'b'] },
      { kind: 'fields', row: 2, fields: ['1', '2'] },
      { kind: 'stopped', reason: 'the file is larger than 10 bytes' },
    ]);
  });
});

describe('parseCsvRecord', () => {
  it.each([
    ['a', ['a']],
    ['', ['']],
    [',', ['', '']],
    [' a , b ', ['a', 'b']],
    ['" a ",b', [' a ', 'b']],
    ['"a""b"', ['a"b']],
    ['  "a"  ,  "b"  ', ['a', 'b']],
  ])('reads %p', (text, fields) => {
    expect(parseCsvRecord(Buffer.from(text))).toEqual(fields);
  });
});
