import { BankResultLine, BankResultOutcome, dateOf } from './bank-result-line';
import { DEFAULT_XML_LIMITS, readXmlRecords, XmlLimits } from './bounded-xml';

export const PAIN002_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10';

/** ExternalPaymentTransactionStatus1Code, as Salur acts on it. */
const OUTCOME_OF_STATUS: Readonly<Record<string, BankResultOutcome>> = {
  RJCT: 'rejected',
  PDNG: 'pending',
  ACTC: 'accepted',
  ACCP: 'accepted',
  ACSP: 'accepted',
  ACWC: 'accepted',
  ACSC: 'accepted',
  ACCC: 'accepted',
};

/**
 * A pain.002.001.10 status report, line by line (TxInfAndSts). Rejections and pendings are acted
 * on; acceptances are acknowledged only: the credit itself is booked from the camt.054 (or the
 * CSV), which carries the amount and the value date.
 */
export async function* readPain002(
  source: AsyncIterable<Buffer | string>,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): AsyncGenerator<BankResultLine> {
  let line = 0;
  const spec = {
    namespace: PAIN002_NAMESPACE,
    messages: ['CstmrPmtStsRpt'],
    record: 'TxInfAndSts',
    contexts: ['OrgnlPmtInfAndSts'],
  };
  for await (const { header, contexts, fields } of readXmlRecords(source, spec, limits)) {
    line++;
    const paymentInformation = contexts.get('OrgnlPmtInfAndSts');
    const status = fields.get('TxSts') ?? paymentInformation?.get('PmtInfSts') ?? '';
    const messageId = header.get('GrpHdr/MsgId') ?? 'pain002';
    yield {
      line,
      endToEndId: fields.get('OrgnlEndToEndId') ?? '',
      outcome: OUTCOME_OF_STATUS[status] ?? 'unrecognised',
      amount: fields.get('OrgnlTxRef/Amt/InstdAmt'),
      currency: fields.get('OrgnlTxRef/Amt/InstdAmt@Ccy'),
      account: fields.get('OrgnlTxRef/CdtrAcct/Id/Othr/Id'),
      reasonCode: fields.get('StsRsnInf/Rsn/Cd'),
      bankReference: fields.get('AcctSvcrRef') ?? fields.get('StsId') ?? `${line}/${messageId}`.slice(0, 35),
      valueDate: dateOf(fields.get('FctvIntrBkSttlmDt/Dt') ?? fields.get('AccptncDtTm')),
      paymentInfoId: paymentInformation?.get('OrgnlPmtInfId'),
      status,
    };
  }
}
