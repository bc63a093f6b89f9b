import { DEFAULT_XML_LIMITS, readXmlRecords, XmlLimits } from './bounded-xml';
import { PAIN001_NAMESPACE } from './pain001-writer';

/** One transfer of a pain.001, as the bank (simulator) reads it. */
export interface Pain001Line {
  readonly messageId: string;
  readonly paymentInfoId: string;
  readonly requestedExecutionDate: string;
  readonly endToEndId: string;
  readonly amount: string;
  readonly currency: string;
  readonly creditorName: string;
  readonly creditorAccount: string;
  readonly creditorBic: string;
  readonly chargeBearer: string;
}

/** Streams the credit transfers of a pain.001.001.09, with the same bounds as every bank file. */
export async function* readPain001(
  source: AsyncIterable<Buffer | string>,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): AsyncGenerator<Pain001Line> {
  const spec = {
    namespace: PAIN001_NAMESPACE,
    messages: ['CstmrCdtTrfInitn'],
    record: 'CdtTrfTxInf',
    contexts: ['PmtInf'],
  };
  for await (const { header, contexts, fields } of readXmlRecords(source, spec, limits)) {
    const paymentInformation = contexts.get('PmtInf') ?? new Map<string, string>();
    yield {
      messageId: header.get('GrpHdr/MsgId') ?? '',
      paymentInfoId: paymentInformation.get('PmtInfId') ?? '',
      requestedExecutionDate: paymentInformation.get('ReqdExctnDt/Dt') ?? '',
      endToEndId: fields.get('PmtId/EndToEndId') ?? '',
      amount: fields.get('Amt/InstdAmt') ?? '',
      currency: fields.get('Amt/InstdAmt@Ccy') ?? '',
      creditorName: fields.get('Cdtr/Nm') ?? '',
      creditorAccount: fields.get('CdtrAcct/Id/Othr/Id') ?? '',
      creditorBic: fields.get('CdtrAgt/FinInstnId/BICFI') ?? '',
      chargeBearer: fields.get('ChrgBr') ?? paymentInformation.get('ChrgBr') ?? '',
    };
  }
}
