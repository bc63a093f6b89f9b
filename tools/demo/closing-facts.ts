import { resolve } from 'node:path';
import { type ClosingFacts, shellWord } from './closing';
import type { DemoContext } from './demo-context';
import { DemoSettings, eventStoreServerOf, isUnset, pathVariablesToRepeat, storePathsFrom } from './demo-settings';
import type { SavedProof } from './proof';

/** The settings `npm start` must be given again to find the same data, when the user set them. */
const SETTINGS_TO_KEEP = [
  'EVENT_STORE',
  'DATABASE_URL',
  'EVENTSTOREDB_URL',
  'SQLITE_PATH',
  'READ_MODEL_STORE',
  'READ_MODEL_DATABASE_URL',
  'READ_MODEL_SQLITE_PATH',
  'AUDIT_LOG_SQLITE_PATH',
  'PERSONAL_DATA_SQLITE_PATH',
  'BANK_FILES_DIR',
  'CHECKPOINT_SIGNING_KEY',
  'PERSONAL_DATA_MASTER_KEY',
  'BENEFICIARY_ID_KEY',
  'JWT_SECRET',
];
const VERIFIER = resolve(__dirname, '..', 'salur-verify.js');

export type RunFacts = Pick<ClosingFacts, 'folder' | 'seconds' | 'events' | 'signingKeyFile' | 'apiUrl' | 'serving'>;

/** Everything the closing message names; paths in commands as `show` gives them (from the working directory). */
export function closingFacts(
  settings: DemoSettings,
  context: DemoContext,
  proof: SavedProof | undefined,
  run: RunFacts,
  show: (path: string) => string,
): ClosingFacts {
  const verifierKey = settings.config.auditLog.signingKey.verifier.vkey;
  const word = (path: string) => shellWord(show(path));
  return {
    ...run,
    stores: storePathsFrom(settings.env),
    eventStoreServer: eventStoreServerOf(settings.config),
    bankAnswersDir: context.bankAnswersDir,
    proofPath: proof?.proofPath,
    checkpointPath: proof?.checkpointPath,
    verifierKey,
    verifierKeyPath: proof?.verifierKeyPath,
    verifyCommand: proof && verifyCommand(proof, verifierKey, word),
    startCommand: startCommand(settings, run.signingKeyFile, word),
    userSettings: SETTINGS_TO_KEEP.filter(
      (variable) => !isUnset(settings.env, variable) && !(variable in settings.filled),
    ),
  };
}

function verifyCommand(proof: SavedProof, verifierKey: string, word: (path: string) => string): string {
  const bankFile = proof.bankFilePath ? ` --bank-file ${word(proof.bankFilePath)}` : '';
  return `node ${word(VERIFIER)} ${word(proof.proofPath)} --vkey ${shellWord(verifierKey)}${bankFile}`;
}

function startCommand(settings: DemoSettings, signingKeyFile: string | undefined, word: (path: string) => string) {
  const paths = pathVariablesToRepeat(settings).map((variable) => `${variable}=${word(settings.filled[variable])}`);
  const key = signingKeyFile ? [`CHECKPOINT_SIGNING_KEY="$(cat ${word(signingKeyFile)})"`] : [];
  return [...paths, ...key, 'npm start'].join(' ');
}
