import { BankResultLine, BankResultOutcome, dateOf } from './bank-result-line';
import { DEFAULT_XML_LIMITS, readXmlRecords, XmlFields, XmlLimits } from './bounded-xml';

export const CAMT054_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';

/**
 * A camt.054.001.08 debit/credit notification on the treasury account, one line per TxDtls:
 * a booked debit is a credit transfer that reached the beneficiary (TxDtls/Amt is what was
 * credited; less than instructed is a short credit); an entry with RtrInf is a return of an
 * earlier credit; a pending entry is pending.
 */
export async function* readCamt054(
  source: AsyncIterable<Buffer | string>,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): AsyncGenerator<BankResultLine> {
  let line = 0;
  const spec = {
    namespace: CAMT054_NAMESPACE,
    messages: ['BkToCstmrDbtCdtNtfctn'],
    record: 'TxDtls',
    contexts: ['Ntry'],
  };
  for await (const { header, contexts, fields } of readXmlRecords(source, spec, limits)) {
    line++;
    const entry: XmlFields = contexts.get('Ntry') ?? new Map();
    const messageId = header.get('GrpHdr/MsgId') ?? 'camt054';
    const status = entry.get('Sts/Cd') ?? entry.get('Sts') ?? '';
    const creditDebit = fields.get('CdtDbtInd') ?? entry.get('CdtDbtInd') ?? '';
    const returnReason = fields.get('RtrInf/Rsn/Cd');
    const accountServicerReference = fields.get('Refs/AcctSvcrRef') ?? entry.get('AcctSvcrRef');
    yield {
      line,
      endToEndId: fields.get('Refs/EndToEndId') ?? '',
      outcome: outcomeOf(status, creditDebit, returnReason !== undefined || fields.has('RtrInf/Rsn/Prtry')),
      amount: fields.get('Amt') ?? fields.get('AmtDtls/TxAmt/Amt') ?? entry.get('Amt'),
      currency: fields.get('Amt@Ccy') ?? fields.get('AmtDtls/TxAmt/Amt@Ccy') ?? entry.get('Amt@Ccy'),
      account: fields.get('RltdPties/CdtrAcct/Id/Othr/Id'),
      reasonCode: returnReason,
      bankReference: accountServicerReference ?? entry.get('NtryRef') ?? `${line}/${messageId}`.slice(0, 35),
      valueDate: dateOf(entry.get('ValDt/Dt') ?? entry.get('ValDt/DtTm') ?? entry.get('BookgDt/Dt')),
      entryReference: entry.get('NtryRef'),
      accountServicerReference,
      bookingDate: entry.get('BookgDt/Dt') ?? entry.get('BookgDt/DtTm'),
      paymentInfoId: fields.get('Refs/PmtInfId'),
      status: `${status}/${creditDebit}`,
    };
  }
}

function outcomeOf(status: string, creditDebit: string, hasReturnInformation: boolean): BankResultOutcome {
  if (status === 'PDNG') return 'pending';
  if (status !== 'BOOK') return 'unrecognised';
  if (hasReturnInformation && creditDebit === 'CRDT') return 'returned';
  if (!hasReturnInformation && creditDebit === 'DBIT') return 'credited';
  return 'unrecognised';
}
