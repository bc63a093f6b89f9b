import {
  AUDIT_CHECKPOINT_USAGE,
  AUDIT_EXPORT_USAGE,
  AUDIT_KEYGEN_USAGE,
  auditCheckpointCommand,
  auditExportCommand,
  auditKeygenCommand,
} from '@salur/audit-log';
import { CliOutput, CliUsageError, ConfigurationError } from '@salur/config';
import { CHECK_USAGE, checkCommand } from '@salur/invariants';
import { ISSUE_TOKEN_USAGE, issueTokenCommand } from '@salur/http';
import {
  LEDGER_PERSONAL_DATA,
  LEDGER_PROJECTIONS,
  MIGRATE_PERSONAL_DATA_USAGE,
  migratePersonalDataCommand,
  openLedgerEventStore,
} from '@salur/ledger';
import { rebuildProjectionsCommand, rebuildUsage } from '@salur/projections';
import { PERSONAL_DATA_KEYGEN_USAGE, personalDataKeygenCommand } from '@salur/personal-data';
import { BACKUP_USAGE, backupCommand } from './backup/backup-command';
import { RESTORE_USAGE, restoreCommand } from './backup/restore-command';
import { SETUP_USAGE, setupCommand } from './setup/setup-command';

/**
 * `npm run cli -- <command> [options]`: operator commands, one entry each. A command is named
 * by its leading words (`token issue`); the rest of the arguments are its own. Later entries:
 * `projections rebuild`, `check`, `audit export`.
 */
interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** An exit code, or nothing for 0. */
  run(args: readonly string[], output: CliOutput): void | number | Promise<void | number>;
}

const COMMANDS: readonly CliCommand[] = [
  {
    name: 'setup',
    summary: 'write a production .env (mode 0600) with fresh secrets; print the checkpoint verifier key to publish',
    usage: SETUP_USAGE,
    run: (args, output) => setupCommand(args, process.env, output),
  },
  {
    name: 'backup',
    summary: 'copy the SQLite files online into <dir> with a checked manifest (PostgreSQL: print the pg_dump commands)',
    usage: BACKUP_USAGE,
    run: (args, output) => backupCommand(args, process.env, output),
  },
  {
    name: 'restore',
    summary: 'with the service stopped: check a backup, restore it, check the audit log gives its signed root',
    usage: RESTORE_USAGE,
    run: (args, output) => restoreCommand(args, process.env, output),
  },
  {
    name: 'check',
    summary: 'verify every invariant over the whole event log and the read models (exit 1 on a violation)',
    usage: CHECK_USAGE,
    run: (args, output) => checkCommand(args, process.env, output),
  },
  {
    name: 'token issue',
    summary: 'print a bearer token for the API (signed with JWT_SECRET)',
    usage: ISSUE_TOKEN_USAGE,
    run: (args, output) => issueTokenCommand(args, process.env, output),
  },
  {
    name: 'projections rebuild',
    summary: 'rebuild a projection (or all) from the first event into shadow tables, then swap them in',
    usage: rebuildUsage(LEDGER_PROJECTIONS),
    run: (args, output) =>
      rebuildProjectionsCommand(args, process.env, output, LEDGER_PROJECTIONS, openLedgerEventStore),
  },
  {
    name: 'personal-data keygen',
    summary: 'print a new master key for the personal-data key store (PERSONAL_DATA_MASTER_KEY)',
    usage: PERSONAL_DATA_KEYGEN_USAGE,
    run: (args, output) => personalDataKeygenCommand(args, output),
  },
  {
    name: 'ledger migrate-personal-data',
    summary: 'copy a ledger written before personal data was sealed into the configured (new, empty) store, sealed',
    usage: MIGRATE_PERSONAL_DATA_USAGE,
    run: (args, output) => migratePersonalDataCommand(args, process.env, output, LEDGER_PERSONAL_DATA),
  },
  {
    name: 'audit keygen',
    summary: 'print a new checkpoint signing key (CHECKPOINT_SIGNING_KEY) and its verifier key (vkey)',
    usage: AUDIT_KEYGEN_USAGE,
    run: (args, output) => auditKeygenCommand(args, process.env, output),
  },
  {
    name: 'audit checkpoint',
    summary: 'bring the audit log up to the event store, sign a checkpoint now and print it',
    usage: AUDIT_CHECKPOINT_USAGE,
    run: (args, output) => auditCheckpointCommand(args, process.env, output),
  },
  {
    name: 'audit export',
    summary: 'write every leaf of the audit log and its signed checkpoints to <dir> (salur-verify log <dir>)',
    usage: AUDIT_EXPORT_USAGE,
    run: (args, output) => auditExportCommand(args, process.env, output),
  },
];

const consoleOutput: CliOutput = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

function findCommand(argv: readonly string[]): { command: CliCommand; args: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word)) return { command, args: argv.slice(words.length) };
  }
  return undefined;
}

function help(): string {
  return ['Usage: npm run cli -- <command> [options]', '', 'Commands:']
    .concat(COMMANDS.map((command) => `  ${command.usage}\n      ${command.summary}`))
    .join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    consoleOutput.stdout(help());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    consoleOutput.stderr(`Unknown command '${argv.join(' ')}'\n\n${help()}`);
    return 2;
  }
  try {
    const code = await found.command.run(found.args, consoleOutput);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      consoleOutput.stderr(`${error.message}\nUsage: npm run cli -- ${found.command.usage}`);
      return 2;
    }
    if (error instanceof ConfigurationError) {
      consoleOutput.stderr(`Configuration error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
