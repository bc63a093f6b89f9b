import {
  checkHeader,
  checkTransfer,
  CreditTransfer,
  CreditTransferFileHeader,
  StreamedTotals,
} from './credit-transfer';
import { escapeXmlText as x } from './xml-text';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';
/** Social security benefit (ExternalCategoryPurpose1Code). */
export const CATEGORY_PURPOSE_SOCIAL_SECURITY = 'SSBE';

/** What escapeXmlText would escape or refuse; most names hold none of it, and then one test is all. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPING = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function xmlText(text: string): string {
  return NEEDS_ESCAPING.test(text) ? x(text) : text;
}

/**
 * An ISO 20022 pain.001.001.09 credit-transfer initiation, written piece by piece: one payment
 * information block (the batch), charges borne by the debtor (ChrgBr DEBT), category purpose
 * SSBE, one CdtTrfTxInf per payment. NbOfTxs and CtrlSum are written first, from the batch's
 * events; `close` fails if the streamed lines did not match them. Memory holds one line.
 */
export class Pain001Writer {
  private readonly totals: StreamedTotals;
  /** The parts of every line that come from the header, escaped once. */
  private readonly amountOpen: string;
  private readonly lineEnd: string;

  constructor(private readonly header: CreditTransferFileHeader) {
    checkHeader(header);
    this.totals = new StreamedTotals(header);
    this.amountOpen = `<Amt><InstdAmt Ccy="${x(header.currency)}">`;
    this.lineEnd = `<RmtInf><Ustrd>${x(header.remittanceInformation)}</Ustrd></RmtInf></CdtTrfTxInf>\n`;
  }

  open(): string {
    const { header: h } = this;
    const debtor = h.debtor;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<Document xmlns="${PAIN001_NAMESPACE}">\n` +
      `<CstmrCdtTrfInitn>\n` +
      `<GrpHdr><MsgId>${x(h.messageId)}</MsgId><CreDtTm>${x(h.createdAt)}</CreDtTm>` +
      `<NbOfTxs>${h.count}</NbOfTxs><CtrlSum>${x(h.controlSum)}</CtrlSum>` +
      `<InitgPty><Nm>${x(debtor.name)}</Nm></InitgPty></GrpHdr>\n` +
      `<PmtInf><PmtInfId>${x(h.paymentInfoId)}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg>` +
      `<NbOfTxs>${h.count}</NbOfTxs><CtrlSum>${x(h.controlSum)}</CtrlSum>` +
      `<PmtTpInf><CtgyPurp><Cd>${CATEGORY_PURPOSE_SOCIAL_SECURITY}</Cd></CtgyPurp></PmtTpInf>` +
      `<ReqdExctnDt><Dt>${x(h.requestedExecutionDate)}</Dt></ReqdExctnDt>` +
      `<Dbtr><Nm>${x(debtor.name)}</Nm></Dbtr>` +
      `<DbtrAcct><Id><Othr><Id>${x(debtor.accountNumber)}</Id></Othr></Id><Ccy>${h.currency}</Ccy></DbtrAcct>` +
      `<DbtrAgt><FinInstnId><BICFI>${x(debtor.bic)}</BICFI></FinInstnId></DbtrAgt>` +
      `<ChrgBr>DEBT</ChrgBr>\n`
    );
  }

  transaction(transfer: CreditTransfer): string {
    checkTransfer(transfer);
    this.totals.add(transfer.amount, transfer.endToEndId);
    const { creditor } = transfer;
    // The checks leave the amount, the BIC and the account number nothing to escape.
    return (
      `<CdtTrfTxInf><PmtId><EndToEndId>${xmlText(transfer.endToEndId)}</EndToEndId></PmtId>` +
      `${this.amountOpen}${transfer.amount}</InstdAmt></Amt>` +
      `<CdtrAgt><FinInstnId><BICFI>${creditor.bic}</BICFI></FinInstnId></CdtrAgt>` +
      `<Cdtr><Nm>${xmlText(creditor.name)}</Nm></Cdtr>` +
      `<CdtrAcct><Id><Othr><Id>${creditor.accountNumber}</Id></Othr></Id></CdtrAcct>` +
      this.lineEnd
    );
  }

  /** Throws BankFileContentError unless the lines matched the header's count and control sum. */
  close(): string {
    this.totals.assertComplete();
    return `</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n`;
  }
}

/** The whole file as a stream of chunks, for any number of transfers. */
export async function* pain001Chunks(
  header: CreditTransferFileHeader,
  transfers: AsyncIterable<CreditTransfer> | Iterable<CreditTransfer>,
): AsyncGenerator<string> {
  const writer = new Pain001Writer(header);
  yield writer.open();
  for await (const transfer of transfers) yield writer.transaction(transfer);
  yield writer.close();
}
