/**
 * `npm run bank-sim -- <pain.001 file> [options]`: plays the bank for one credit-transfer file.
 * Writes a pain.002 status report and a camt.054 notification beside it, with a configurable
 * share of rejections, returns and (for testing) short credits. See libs/bank-integration/README.md.
 */
import {
  BANK_SIM_USAGE,
  BankSimUsageError,
  parseBankSimArgs,
  runBankSim,
} from '../libs/bank-integration/src/simulator/bank-sim-cli';

async function main(argv: readonly string[]): Promise<number> {
  try {
    const { file, outDir, options, treasuryAccount } = parseBankSimArgs(argv);
    const { pain002Path, camt054Path, summary } = await runBankSim(file, options, treasuryAccount, outDir);
    process.stdout.write(
      `${summary.transfers} transfers: ${summary.credited} credited, ${summary.shortCredits} short, ` +
        `${summary.rejected} rejected, ${summary.returned} credited then returned\n` +
        `${pain002Path}\n${camt054Path}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BankSimUsageError) {
      process.stderr.write(`${error.message}\nUsage: ${BANK_SIM_USAGE}\n`);
      return 2;
    }
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
