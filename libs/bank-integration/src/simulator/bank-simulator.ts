import { createHash } from 'node:crypto';
import { amountOf, formatAmount } from '@salur/kernel';
import { CAMT054_NAMESPACE } from '../domain/camt054-reader';
import type { Pain001Line } from '../domain/pain001-reader';
import { PAIN002_NAMESPACE } from '../domain/pain002-reader';
import { escapeXmlText as x } from '../domain/xml-text';

/**
 * Plays the bank for a pain.001: decides each transfer's fate from a seeded hash of its
 * EndToEndId (the same file and seed always give the same results), and writes a pain.002
 * status report (RJCT for rejections, ACSC for the rest) and a camt.054 notification on the
 * treasury account (a booked debit per credited transfer, then a booked credit with RtrInf per
 * return). Both are written as streams of chunks.
 */
export interface SimulationOptions {
  /** Shares of the transfers, each 0..1: rejected, credited then returned, credited short. */
  readonly rejectShare: number;
  readonly returnShare: number;
  readonly shortCreditShare: number;
  /** What a short credit withholds, e.g. "2500.00" (an illegal fee, for the tests). */
  readonly shortCreditDeduction: string;
  readonly seed: string;
  /** The bank's clock and value date. */
  readonly createdAt: string;
  readonly valueDate: string;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  rejectShare: 0.03,
  returnShare: 0.01,
  shortCreditShare: 0,
  shortCreditDeduction: '2500.00',
  seed: 'salur-bank-sim',
  createdAt: '2026-11-27T09:00:00.000Z',
  valueDate: '2026-11-27',
};

export const REJECTION_REASONS = ['AC01', 'AC04', 'AC06', 'MD07', 'BE01'] as const;
export const RETURN_REASONS = ['AC04', 'AC06', 'MD07'] as const;

export type SimulatedFate =
  | { readonly kind: 'credited'; readonly creditedAmount: string }
  | { readonly kind: 'rejected'; readonly reasonCode: string }
  | { readonly kind: 'returned'; readonly reasonCode: string; readonly creditedAmount: string };

export function fateOf(line: Pain001Line, options: SimulationOptions): SimulatedFate {
  const draw = createHash('sha256').update(`${options.seed}\n${line.endToEndId}`).digest();
  const share = draw.readUInt32BE(0) / 2 ** 32;
  const pick = <T>(choices: readonly T[]) => choices[draw[4] % choices.length];
  if (share < options.rejectShare) return { kind: 'rejected', reasonCode: pick(REJECTION_REASONS) };
  if (share < options.rejectShare + options.returnShare) {
    return { kind: 'returned', reasonCode: pick(RETURN_REASONS), creditedAmount: line.amount };
  }
  if (share < options.rejectShare + options.returnShare + options.shortCreditShare) {
    const short = amountOf(line.amount).minus(amountOf(options.shortCreditDeduction));
    if (short.greaterThan(0)) return { kind: 'credited', creditedAmount: formatAmount(short) };
  }
  return { kind: 'credited', creditedAmount: line.amount };
}

/** A bank reference (AcctSvcrRef, Max35Text) for one transfer and one kind of booking. */
export function bankReferenceOf(line: Pain001Line, kind: 'CR' | 'RJ' | 'RT'): string {
  // Unique per transfer and batch, as a bank's own reference is: a reissued payment gets a new one.
  return `S${kind}${line.paymentInfoId.slice(0, 8)}${line.endToEndId.slice(0, 24)}`;
}

/** The entry's own reference (NtryRef, Max35Text), told apart from its transaction's AcctSvcrRef. */
export function entryReferenceOf(bankReference: string): string {
  return `N${bankReference.slice(1)}`;
}

export class Pain002Writer {
  private started = false;

  constructor(private readonly options: SimulationOptions) {}

  /** The header needs the first transfer's MsgId and PmtInfId; call with each transfer in order. */
  line(line: Pain001Line, fate: SimulatedFate): string {
    let head = '';
    if (!this.started) {
      this.started = true;
      head =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN002_NAMESPACE}">\n<CstmrPmtStsRpt>\n` +
        `<GrpHdr><MsgId>${x(`PSR${line.messageId}`.slice(0, 35))}</MsgId><CreDtTm>${x(this.options.createdAt)}</CreDtTm></GrpHdr>\n` +
        `<OrgnlGrpInfAndSts><OrgnlMsgId>${x(line.messageId)}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>\n` +
        `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${x(line.paymentInfoId)}</OrgnlPmtInfId>\n`;
    }
    const rejected = fate.kind === 'rejected';
    return (
      head +
      `<TxInfAndSts><OrgnlEndToEndId>${x(line.endToEndId)}</OrgnlEndToEndId><TxSts>${rejected ? 'RJCT' : 'ACSC'}</TxSts>` +
      (rejected ? `<StsRsnInf><Rsn><Cd>${fate.reasonCode}</Cd></Rsn></StsRsnInf>` : '') +
      `<AcctSvcrRef>${x(bankReferenceOf(line, rejected ? 'RJ' : 'CR'))}</AcctSvcrRef>` +
      `<OrgnlTxRef><Amt><InstdAmt Ccy="${x(line.currency)}">${x(line.amount)}</InstdAmt></Amt>` +
      `<CdtrAcct><Id><Othr><Id>${x(line.creditorAccount)}</Id></Othr></Id></CdtrAcct></OrgnlTxRef></TxInfAndSts>\n`
    );
  }

  close(): string {
    if (!this.started) throw new Error('The pain.001 held no transfer');
    return `</OrgnlPmtInfAndSts>\n</CstmrPmtStsRpt>\n</Document>\n`;
  }
}

export class Camt054Writer {
  private started = false;
  private readonly returns: Array<{ line: Pain001Line; reasonCode: string; amount: string }> = [];

  constructor(
    private readonly options: SimulationOptions,
    private readonly treasuryAccount: string,
  ) {}

  line(line: Pain001Line, fate: SimulatedFate): string {
    let head = '';
    if (!this.started) {
      this.started = true;
      const id = x(`NTF${line.messageId}`.slice(0, 35));
      head =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${CAMT054_NAMESPACE}">\n<BkToCstmrDbtCdtNtfctn>\n` +
        `<GrpHdr><MsgId>${id}</MsgId><CreDtTm>${x(this.options.createdAt)}</CreDtTm></GrpHdr>\n` +
        `<Ntfctn><Id>${id}</Id><Acct><Id><Othr><Id>${x(this.treasuryAccount)}</Id></Othr></Id></Acct>\n`;
    }
    if (fate.kind === 'rejected') return head;
    if (fate.kind === 'returned') this.returns.push({ line, reasonCode: fate.reasonCode, amount: fate.creditedAmount });
    return head + this.entry(line, 'DBIT', fate.creditedAmount, bankReferenceOf(line, 'CR'));
  }

  /** Returns come after every credit, as the bank books them later. Memory holds the returns only. */
  close(): string {
    if (!this.started) throw new Error('The pain.001 held no transfer');
    const returns = this.returns.map(({ line, reasonCode, amount }) =>
      this.entry(line, 'CRDT', amount, bankReferenceOf(line, 'RT'), reasonCode),
    );
    return `${returns.join('')}</Ntfctn>\n</BkToCstmrDbtCdtNtfctn>\n</Document>\n`;
  }

  private entry(
    line: Pain001Line,
    direction: 'DBIT' | 'CRDT',
    amount: string,
    reference: string,
    returnReason?: string,
  ) {
    const money = `<Amt Ccy="${x(line.currency)}">${x(amount)}</Amt>`;
    const subFamily = returnReason ? 'RRTN' : 'DMCT';
    return (
      `<Ntry><NtryRef>${x(entryReferenceOf(reference))}</NtryRef>${money}<CdtDbtInd>${direction}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
      `<BookgDt><Dt>${x(this.options.valueDate)}</Dt></BookgDt><ValDt><Dt>${x(this.options.valueDate)}</Dt></ValDt>` +
      `<AcctSvcrRef>${x(reference)}</AcctSvcrRef>` +
      `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
      `<NtryDtls><TxDtls><Refs><AcctSvcrRef>${x(reference)}</AcctSvcrRef><PmtInfId>${x(line.paymentInfoId)}</PmtInfId>` +
      `<EndToEndId>${x(line.endToEndId)}</EndToEndId></Refs>${money}<CdtDbtInd>${direction}</CdtDbtInd>` +
      (amount !== line.amount
        ? `<AmtDtls><InstdAmt><Amt Ccy="${x(line.currency)}">${x(line.amount)}</Amt></InstdAmt></AmtDtls>`
        : '') +
      `<RltdPties><Cdtr><Pty><Nm>${x(line.creditorName)}</Nm></Pty></Cdtr>` +
      `<CdtrAcct><Id><Othr><Id>${x(line.creditorAccount)}</Id></Othr></Id></CdtrAcct></RltdPties>` +
      (returnReason ? `<RtrInf><Rsn><Cd>${returnReason}</Cd></Rsn></RtrInf>` : '') +
      `</TxDtls></NtryDtls></Ntry>\n`
    );
  }
}

export interface SimulationSummary {
  readonly transfers: number;
  readonly credited: number;
  readonly shortCredits: number;
  readonly rejected: number;
  readonly returned: number;
}

/** Runs the bank over a pain.001's transfers, writing the two answers through the given sinks. */
export async function simulateBank(
  transfers: AsyncIterable<Pain001Line>,
  options: SimulationOptions,
  treasuryAccount: string,
  sinks: { pain002: (chunk: string) => Promise<void> | void; camt054: (chunk: string) => Promise<void> | void },
): Promise<SimulationSummary> {
  const pain002 = new Pain002Writer(options);
  const camt054 = new Camt054Writer(options, treasuryAccount);
  const summary = { transfers: 0, credited: 0, shortCredits: 0, rejected: 0, returned: 0 };
  for await (const line of transfers) {
    const fate = fateOf(line, options);
    summary.transfers++;
    if (fate.kind === 'rejected') summary.rejected++;
    else if (fate.kind === 'returned') summary.returned++;
    else if (fate.creditedAmount !== line.amount) summary.shortCredits++;
    else summary.credited++;
    await sinks.pain002(pain002.line(line, fate));
    await sinks.camt054(camt054.line(line, fate));
  }
  await sinks.pain002(pain002.close());
  await sinks.camt054(camt054.close());
  return summary;
}
