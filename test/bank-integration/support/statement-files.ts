import { escapeXmlText as x } from '../../../libs/bank-integration/src/domain/xml-text';

/**
 * What a bank's statement (camt.053.001.08) or debit notification (camt.054.001.08) says of the
 * treasury account, as the tests need it: one entry per movement, each with one TxDtls, so a
 * test can leave one out, change its amount or its currency. Valid against the ISO schemas.
 */
export interface StatementMovement {
  readonly endToEndId: string;
  readonly amount: string;
  readonly currency?: string;
  readonly accountServicerReference: string;
  readonly entryReference?: string;
  readonly status?: 'BOOK' | 'PDNG';
  readonly direction?: 'DBIT' | 'CRDT';
  readonly bookingDate?: string;
  readonly returnReason?: string;
}

export interface StatementOptions {
  readonly account: string;
  readonly id?: string;
  readonly createdAt?: string;
  readonly from?: string;
  readonly to?: string;
}

function entry(movement: StatementMovement): string {
  const currency = movement.currency ?? 'IDR';
  const direction = movement.direction ?? 'DBIT';
  const money = `<Amt Ccy="${x(currency)}">${x(movement.amount)}</Amt>`;
  const date = movement.bookingDate ?? '2026-11-27';
  const subFamily = movement.returnReason ? 'RRTN' : 'DMCT';
  return (
    `<Ntry>${movement.entryReference ? `<NtryRef>${x(movement.entryReference)}</NtryRef>` : ''}` +
    `${money}<CdtDbtInd>${direction}</CdtDbtInd><Sts><Cd>${movement.status ?? 'BOOK'}</Cd></Sts>` +
    `<BookgDt><Dt>${x(date)}</Dt></BookgDt><ValDt><Dt>${x(date)}</Dt></ValDt>` +
    `<AcctSvcrRef>${x(movement.accountServicerReference)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><Refs><AcctSvcrRef>${x(movement.accountServicerReference)}</AcctSvcrRef>` +
    `<EndToEndId>${x(movement.endToEndId)}</EndToEndId></Refs>${money}<CdtDbtInd>${direction}</CdtDbtInd>` +
    (movement.returnReason ? `<RtrInf><Rsn><Cd>${x(movement.returnReason)}</Cd></Rsn></RtrInf>` : '') +
    `</TxDtls></NtryDtls></Ntry>\n`
  );
}

function account(options: StatementOptions): string {
  return `<Acct><Id><Othr><Id>${x(options.account)}</Id></Othr></Id></Acct>`;
}

/** A camt.053.001.08 statement of the account over a period, with an opening and a closing balance. */
export function camt053(movements: readonly StatementMovement[], options: StatementOptions): string {
  const id = options.id ?? 'STMT-2026-11';
  const createdAt = options.createdAt ?? '2026-12-01T06:00:00.000Z';
  const balance = (code: 'OPBD' | 'CLBD', date: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="IDR">1000000000.00</Amt>` +
    `<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  const from = options.from ?? '2026-11-01';
  const to = options.to ?? '2026-11-30';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n<BkToCstmrStmt>\n` +
    `<GrpHdr><MsgId>${x(id)}</MsgId><CreDtTm>${createdAt}</CreDtTm></GrpHdr>\n` +
    `<Stmt><Id>${x(id)}</Id><CreDtTm>${createdAt}</CreDtTm>` +
    `<FrToDt><FrDtTm>${from}T00:00:00</FrDtTm><ToDtTm>${to}T23:59:59</ToDtTm></FrToDt>` +
    `${account(options)}${balance('OPBD', from)}${balance('CLBD', to)}\n` +
    movements.map(entry).join('') +
    `</Stmt>\n</BkToCstmrStmt>\n</Document>\n`
  );
}

/** A camt.054.001.08 debit/credit notification on the account. */
export function camt054(movements: readonly StatementMovement[], options: StatementOptions): string {
  const id = options.id ?? 'NTF-2026-11';
  const createdAt = options.createdAt ?? '2026-11-27T09:00:00.000Z';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">\n<BkToCstmrDbtCdtNtfctn>\n` +
    `<GrpHdr><MsgId>${x(id)}</MsgId><CreDtTm>${createdAt}</CreDtTm></GrpHdr>\n` +
    `<Ntfctn><Id>${x(id)}</Id>${account(options)}\n` +
    movements.map(entry).join('') +
    `</Ntfctn>\n</BkToCstmrDbtCdtNtfctn>\n</Document>\n`
  );
}
