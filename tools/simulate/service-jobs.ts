import { loadStream, type LedgerContext } from '@salur/application';
import type { ReceivedBankFile } from '@salur/bank-integration';
import {
  BANK_QUEUES,
  bankJobDecider,
  bankJobStreamName,
  ingestJobId,
  type JobOrigin,
  openRoundJobId,
  writeBankFileJobId,
} from '@salur/queue';
import { Readable } from 'node:stream';
import type { BankAnswer } from './simulated-bank';
import { CAST, NO_PROGRESS, originOf, type World } from './world';

/** Runs of one round looked for before giving up: far above what a simulation asks for. */
const MAX_ROUND_RUNS = 1_000;

/** The work of each queue, as the service's processors do it, for a job's recorded data. */
type JobWork = (context: LedgerContext) => Promise<unknown>;

function workOf(world: World, queue: string, data: Readonly<Record<string, unknown>>): JobWork {
  switch (queue) {
    case BANK_QUEUES.openRound: {
      const round = { programmeId: String(data.programmeId), period: String(data.period) };
      return (context: LedgerContext) => world.service.roundOpener.open(round, context, NO_PROGRESS);
    }
    case BANK_QUEUES.writeBankFile:
      return (context: LedgerContext) => world.service.fileWriter.write(String(data.batchId), context, NO_PROGRESS);
    case BANK_QUEUES.ingestBankResults:
      return (context: LedgerContext) =>
        world.service.ingestion.ingest(data.file as ReceivedBankFile, context, NO_PROGRESS);
    default:
      throw new Error(`The simulation runs no ${queue} jobs`);
  }
}

type JobData = Readonly<Record<string, unknown>> & { readonly origin: JobOrigin };

async function runJob(world: World, queue: string, jobId: string, data: JobData) {
  return world.jobs.run(queue, jobId, data, workOf(world, queue, data));
}

/** The next run of a round (a supplementary one once the last has run), as BankJobs.startRun picks it. */
export async function openRound(world: World, round: { programmeId: string; period: string }, origin: JobOrigin) {
  let run = 1;
  while (run < MAX_ROUND_RUNS) {
    const { state } = await loadStream(
      world.store,
      bankJobStreamName(openRoundJobId(round.programmeId, round.period, run)),
      bankJobDecider,
    );
    if (!state.request) break;
    run++;
  }
  const jobId = openRoundJobId(round.programmeId, round.period, run);
  return runJob(world, BANK_QUEUES.openRound, jobId, { ...round, run, origin });
}

export function writeBankFile(world: World, batchId: string, origin: JobOrigin) {
  return runJob(world, BANK_QUEUES.writeBankFile, writeBankFileJobId(batchId), { batchId, origin });
}

/** An answer arrives over the bank link: stored by its hash, then ingested by a job. */
export async function ingestAnswer(world: World, answer: BankAnswer) {
  const file = await world.service.ingestion.receive(Readable.from([Buffer.from(answer.content)]), 'xml', answer.name);
  return runJob(world, BANK_QUEUES.ingestBankResults, ingestJobId(file.sha256), {
    file,
    origin: originOf(world, CAST.bankLink),
  });
}

/** After a restart: every job the ledger says is owed runs again, as recovery would put it back. */
export async function resumeOwedJobs(world: World): Promise<number> {
  const owed = await world.jobs.owed();
  for (const job of owed) {
    const origin = job.data.origin as JobOrigin;
    await world.jobs.resume(job.jobId, origin, workOf(world, job.queue, job.data));
  }
  return owed.length;
}
