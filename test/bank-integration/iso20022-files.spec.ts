import {
  BankCsvWriter,
  BankFileContentError,
  BankFileRefusedError,
  csvCell,
  DEFAULT_XML_LIMITS,
  pain001Chunks,
  readBankResultCsv,
  readCamt054,
  readPain001,
  readPain002,
} from '@salur/bank-integration';
import { DEFAULT_SIMULATION, simulateBank } from '../../libs/bank-integration/src/simulator/bank-simulator';
import { chunksOf, collect, header, linesOf, transfer, TREASURY } from './support/fixtures';
import { xsdErrors } from './support/xsd';

describe('pain.001.001.09 writer', () => {
  it('writes a file the ISO 20022 schema accepts, with DEBT, SSBE and the payment ids as EndToEndId', async () => {
    const transfers = [transfer(1), transfer(2, { amount: '750000.50' }), transfer(3)];
    const xml = await collect(pain001Chunks(header(3, '1950000.50'), transfers));
    expect(await xsdErrors(xml, 'pain.001.001.09')).toEqual([]);
    expect(xml).toContain('<ChrgBr>DEBT</ChrgBr>');
    expect(xml).toContain('<CtgyPurp><Cd>SSBE</Cd></CtgyPurp>');
    expect(xml.match(/<NbOfTxs>3<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>1950000.50<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain(`<EndToEndId>${transfers[1].endToEndId}</EndToEndId>`);
    // Leading zeros of accounts kept; the debtor is the configured treasury account.
    expect(xml).toContain('<Id>001901000000002</Id>');
    expect(xml).toContain(`<DbtrAcct><Id><Othr><Id>${TREASURY.accountNumber}</Id>`);
  });

  it('escapes names and still validates', async () => {
    const odd = transfer(1, { creditor: { ...transfer(1).creditor, name: `O'NEIL & <SONS> "TOKO"` } });
    const xml = await collect(pain001Chunks(header(1, '600000.00'), [odd]));
    expect(xml).toContain('<Nm>O&apos;NEIL &amp; &lt;SONS&gt; &quot;TOKO&quot;</Nm>');
    expect(await xsdErrors(xml, 'pain.001.001.09')).toEqual([]);
  });

  it('fails at the end when the streamed lines do not match the announced count or control sum', async () => {
    await expect(collect(pain001Chunks(header(3, '1800000.00'), [transfer(1), transfer(2)]))).rejects.toThrow(
      BankFileContentError,
    );
    await expect(collect(pain001Chunks(header(2, '1200000.01'), [transfer(1), transfer(2)]))).rejects.toThrow(
      /header says 2 for 1200000.01/,
    );
    await expect(collect(pain001Chunks(header(1, '600000.00'), [transfer(1), transfer(2)]))).rejects.toThrow(
      /More lines than the 1/,
    );
  });

  it('requires what the schema leaves optional: creditor name, account and agent', async () => {
    // The schema accepts a transaction without them, so the writer must refuse it itself.
    const bare = (await collect(pain001Chunks(header(1, '600000.00'), [transfer(1)]))).replace(
      /<CdtrAgt>.*?<\/CdtrAgt><Cdtr>.*?<\/Cdtr><CdtrAcct>.*?<\/CdtrAcct>/,
      '',
    );
    expect(await xsdErrors(bare, 'pain.001.001.09')).toEqual([]);
    for (const creditor of [
      { name: ' ', accountNumber: '001901000000001', bic: 'BRINIDJA' },
      { name: 'SITI', accountNumber: '', bic: 'BRINIDJA' },
      { name: 'SITI', accountNumber: '001901000000001', bic: '' },
    ]) {
      await expect(collect(pain001Chunks(header(1, '600000.00'), [transfer(1, { creditor })]))).rejects.toThrow(
        BankFileContentError,
      );
    }
  });

  it('refuses an amount that is not canonical (never a float)', async () => {
    await expect(collect(pain001Chunks(header(1, '600000.00'), [transfer(1, { amount: '600000' })]))).rejects.toThrow(
      /not canonical/,
    );
  });
});

describe('bank CSV writer', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+62 SITI', "'+62 SITI"],
    ['-SITI', "'-SITI"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tSITI', "'\tSITI"],
    ['\rSITI', `"'\rSITI"`],
    ['SITI, AMINAH', '"SITI, AMINAH"'],
    ['SITI AMINAH', 'SITI AMINAH'],
  ])('guards %j against formula injection', (value, expected) => expect(csvCell(value)).toBe(expected));

  it('writes a header, one row per transfer, and checks the totals', () => {
    const writer = new BankCsvWriter(header(1, '600000.00'));
    const text =
      writer.open() +
      writer.transaction(transfer(1, { creditor: { ...transfer(1).creditor, name: '=CMD|calc' } })) +
      writer.close();
    const [head, row] = text.split('\r\n');
    expect(head).toBe(
      'end_to_end_id,batch_id,debtor_account,beneficiary_name,bank_code,bic,account_number,amount,currency,charge_bearer,category_purpose,execution_date,remittance_info',
    );
    expect(row).toContain(",'=CMD|calc,002,BRINIDJA,001901000000001,600000.00,IDR,DEBT,SSBE,2026-11-27,");
    const short = new BankCsvWriter(header(2, '1200000.00'));
    short.open();
    short.transaction(transfer(1));
    expect(() => short.close()).toThrow(BankFileContentError);
  });
});

describe('bank simulator output and the readers', () => {
  async function simulate(count: number, options = DEFAULT_SIMULATION) {
    const transfers = Array.from({ length: count }, (_, index) => transfer(index + 1));
    const total = `${600000 * count}.00`;
    const pain001 = await collect(pain001Chunks(header(count, total), transfers));
    let pain002 = '';
    let camt054 = '';
    const summary = await simulateBank(readPain001(chunksOf(pain001)), options, TREASURY.accountNumber, {
      pain002: (chunk) => void (pain002 += chunk),
      camt054: (chunk) => void (camt054 += chunk),
    });
    return { pain001, pain002, camt054, summary };
  }

  it('writes a pain.002 and a camt.054 the schemas accept', async () => {
    const { pain002, camt054, summary } = await simulate(200, {
      ...DEFAULT_SIMULATION,
      rejectShare: 0.1,
      returnShare: 0.05,
      shortCreditShare: 0.05,
    });
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.returned).toBeGreaterThan(0);
    expect(summary.shortCredits).toBeGreaterThan(0);
    expect(await xsdErrors(pain002, 'pain.002.001.10')).toEqual([]);
    expect(await xsdErrors(camt054, 'camt.054.001.08')).toEqual([]);

    const statuses = await linesOf(readPain002(chunksOf(pain002)));
    expect(statuses).toHaveLength(200);
    expect(statuses.filter((line) => line.outcome === 'rejected')).toHaveLength(summary.rejected);
    expect(statuses.find((line) => line.outcome === 'rejected')).toMatchObject({
      reasonCode: expect.stringMatching(/^(AC01|AC04|AC06|MD07|BE01)$/),
      amount: '600000.00',
      currency: 'IDR',
      account: expect.stringMatching(/^0019010/),
      paymentInfoId: '5d6f1b7e2c434e6a9d1f000000000001',
    });

    const notifications = await linesOf(readCamt054(chunksOf(camt054)));
    const credited = notifications.filter((line) => line.outcome === 'credited');
    const returned = notifications.filter((line) => line.outcome === 'returned');
    expect(credited).toHaveLength(200 - summary.rejected);
    expect(returned).toHaveLength(summary.returned);
    expect(credited.filter((line) => line.amount === '597500.00')).toHaveLength(summary.shortCredits);
    expect(returned[0]).toMatchObject({ amount: '600000.00', valueDate: '2026-11-27', reasonCode: expect.any(String) });
  });

  it('keeps account numbers and amounts as the strings the file holds, beyond 2^53 and with leading zeros', async () => {
    const big = transfer(1, {
      creditor: { name: 'PAPUA', accountNumber: '0009171015203850003', bic: 'BRINIDJA' },
      // A float holds this as 900719925474099.4: the cents must survive.
      amount: '900719925474099.37',
    });
    const pain001 = await collect(pain001Chunks(header(1, big.amount), [big]));
    const [line] = await linesOf(readPain001(chunksOf(pain001)));
    expect(line.creditorAccount).toBe('0009171015203850003');
    expect(line.amount).toBe(big.amount);
  });

  it('reads the CSV equivalent with every cell a string', async () => {
    const csv =
      'end_to_end_id,outcome,amount,currency,account_number,reason_code,bank_reference,value_date,batch_id\r\n' +
      '00000000000040008000000000000001,credited,600000.00,IDR,001901000000001,,REF-1,2026-11-27,\r\n' +
      '00000000000040008000000000000002,rejected,,,,AC04,REF-2,,\r\n';
    const lines = await linesOf(readBankResultCsv(chunksOf(csv, 13)));
    expect(lines).toEqual([
      expect.objectContaining({ line: 1, outcome: 'credited', amount: '600000.00', account: '001901000000001' }),
      expect.objectContaining({ line: 2, outcome: 'rejected', reasonCode: 'AC04', amount: undefined }),
    ]);
    await expect(linesOf(readBankResultCsv(chunksOf('a,b\r\n1,2\r\n')))).rejects.toMatchObject({
      code: 'MALFORMED_CSV',
    });
  });
});

describe('safety of XML inputs', () => {
  const refusal = (xml: string, limits = DEFAULT_XML_LIMITS) =>
    linesOf(readCamt054(chunksOf(xml), limits)).then(
      () => 'read',
      (error: unknown) => (error instanceof BankFileRefusedError ? error.code : String(error)),
    );

  it('refuses an XXE file without resolving the external entity', async () => {
    const xxe =
      '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' +
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>' +
      '<GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>';
    expect(await refusal(xxe)).toBe('DOCTYPE_REFUSED');
    await expect(linesOf(readPain002(chunksOf(xxe.replace(/camt.054.001.08/, 'pain.002.001.10'))))).rejects.toThrow(
      /DOCTYPE/,
    );
  });

  it('refuses a billion-laughs file at its DOCTYPE, before any expansion', async () => {
    const entities = Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
    ).join('');
    const laughs =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]>` +
      '<Document><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>&lol9;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>';
    expect(await refusal(laughs)).toBe('DOCTYPE_REFUSED');
  });

  it('refuses an undeclared entity as malformed', async () => {
    expect(
      await refusal(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>&nope;</BkToCstmrDbtCdtNtfctn></Document>',
      ),
    ).toBe('MALFORMED_XML');
  });

  it('bounds bytes, elements and depth', async () => {
    const many = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${'<Ntfctn/>'.repeat(50)}</BkToCstmrDbtCdtNtfctn></Document>`;
    expect(await refusal(many, { ...DEFAULT_XML_LIMITS, maxBytes: 100 })).toBe('FILE_TOO_LARGE');
    expect(await refusal(many, { ...DEFAULT_XML_LIMITS, maxElements: 20 })).toBe('TOO_MANY_ELEMENTS');
    const deep = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</BkToCstmrDbtCdtNtfctn></Document>`;
    expect(await refusal(deep)).toBe('TOO_DEEP');
    expect(await refusal(many)).toBe('read');
  });

  it('refuses another message, another encoding and broken XML', async () => {
    expect(
      await refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><CstmrPmtStsRpt/></Document>'),
    ).toBe('UNSUPPORTED_MESSAGE');
    expect(await refusal('<?xml version="1.0" encoding="ISO-8859-1"?><Document/>')).toBe('UNSUPPORTED_ENCODING');
    expect(
      await refusal(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn></Document>',
      ),
    ).toBe('MALFORMED_XML');
  });
});
