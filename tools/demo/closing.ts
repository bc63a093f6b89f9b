import { isAbsolute, relative } from 'node:path';
import type { StorePaths } from './demo-settings';
import { PaymentStatus, RoundOutcome, rupiah } from './ledger-reading';

const STATUSES: readonly PaymentStatus[] = ['credited', 'rejected', 'returned', 'outstanding'];
const RULE = '  ----------------------------------------------------------';

/** The closing table: each payment's last outcome, with counts and amounts. */
export function outcomeTable(outcome: RoundOutcome): string[] {
  const payments = [...outcome.payments.values()];
  const row = (label: string, chosen: typeof payments) =>
    `  ${label.padEnd(20)} ${String(chosen.length).padStart(14)} ${rupiah(chosen.reduce((sum, p) => sum + p.amountCents, 0n)).padStart(19)}`;
  const reissued = payments.filter((payment) => payment.reissued);
  return [
    '',
    '  status                     payments              amount',
    RULE,
    ...STATUSES.map((status) =>
      row(
        status,
        payments.filter((payment) => payment.status === status),
      ),
    ),
    row('reissued after fix', reissued),
    row(
      '  of which credited',
      reissued.filter((payment) => payment.status === 'credited'),
    ),
    RULE,
    row('total', payments),
    '',
    `  Deducted by banks: ${rupiah(outcome.deductedCents)} (ChrgBr DEBT: charges borne by the programme). ` +
      `Reconciliation exceptions: ${outcome.exceptions}.`,
  ];
}

export interface ClosingFacts {
  readonly folder: string;
  readonly seconds: number;
  readonly events: number;
  readonly stores: StorePaths;
  /** Where the events are when they are not in a file (PostgreSQL, EventStoreDB), password removed. */
  readonly eventStoreServer: string | undefined;
  readonly bankAnswersDir: string;
  readonly proofPath: string | undefined;
  readonly checkpointPath: string | undefined;
  readonly verifierKey: string;
  readonly verifierKeyPath: string | undefined;
  readonly signingKeyFile: string | undefined;
  readonly verifyCommand: string | undefined;
  readonly startCommand: string;
  /** The settings the user gave this run, which `npm start` needs again. */
  readonly userSettings: readonly string[];
  readonly apiUrl: string;
  readonly serving: boolean;
}

/** What the demo left and what to open next; every path as given to `show`. */
export function closingMessage(facts: ClosingFacts, show: (path: string) => string): string[] {
  const at = (path: string | undefined, elsewhere: string) => (path === undefined ? elsewhere : show(path));
  const { stores } = facts;
  const signingKey = facts.signingKeyFile ? `; its signing key: ${show(facts.signingKeyFile)}` : '';
  return [
    '',
    `Done in ${facts.seconds.toFixed(1)} s: ${facts.events.toLocaleString('en')} events.`,
    '',
    `Kept in ${show(facts.folder)} (run again with --fresh to replace it):`,
    `  events              ${at(stores.events, facts.eventStoreServer ?? 'the event store server')}`,
    `  read models         ${at(stores.readModels, 'the read-model PostgreSQL database')}`,
    `  audit log           ${at(stores.auditLog, 'the read-model PostgreSQL database')}`,
    `  personal-data keys  ${at(stores.personalDataKeys, 'the read-model PostgreSQL database')}`,
    `  bank files          ${show(stores.bankFiles)} (outbound: pain.001 and CSV per batch; inbound: answers as received)`,
    `  the bank's answers  ${show(facts.bankAnswersDir)} (the simulated bank's pain.002 and camt.054)`,
    ...(facts.proofPath ? [`  proof               ${show(facts.proofPath)}`] : []),
    ...(facts.checkpointPath ? [`  signed checkpoint   ${show(facts.checkpointPath)}`] : []),
    '',
    `The checkpoints' public key: ${facts.verifierKey}`,
    `  (${facts.verifierKeyPath ? `also in ${show(facts.verifierKeyPath)}` : 'publish it to inspectors'}${signingKey})`,
    ...(facts.verifyCommand
      ? ['', 'Verify the proof offline, trusting nothing but that key:', `  ${facts.verifyCommand}`]
      : []),
    '',
    ...apiLines(facts),
  ];
}

function apiLines(facts: ClosingFacts): string[] {
  const token = '  A token for it: npm run -s cli -- token issue --user insp-1 --role inspector';
  if (facts.serving) {
    return [`The API serves this data at ${facts.apiUrl} (OpenAPI: ${facts.apiUrl}/docs) until Ctrl-C.`, token];
  }
  const same = facts.userSettings.length > 0 ? ` with this run's ${facts.userSettings.join(', ')}` : '';
  return [
    `Open the API on the same data${same} (or run the demo with --serve):`,
    `  ${facts.startCommand}`,
    `  then ${facts.apiUrl}/docs`,
    token,
  ];
}

/** A path as the user would type it: relative when under the working directory. */
export function displayPath(path: string, cwd: string): string {
  const fromHere = relative(cwd, path);
  return fromHere === '' ? '.' : fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere;
}

/** A word for sh: left bare when it is safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
