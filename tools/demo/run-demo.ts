import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Environment } from '@salur/config';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { ApiClient } from '../load/api-client';
import { demoSigningKey } from './checkpoint-key';
import { closingMessage, displayPath, outcomeTable } from './closing';
import { closingFacts } from './closing-facts';
import { deleteQueueKeys, startDemoApi } from './demo-api';
import type { DemoContext } from './demo-context';
import { claimDemoFolder } from './demo-folder';
import type { DemoOptions } from './demo-options';
import { demoSettings, isUnset } from './demo-settings';
import { createProgramme, enrolBeneficiaries } from './enrolment';
import { roundOutcome, showcasePayment } from './ledger-reading';
import { openRound, payOutstanding } from './payment-round';
import { progressFor } from './progress';
import { saveProof } from './proof';
import { fixAccountsAndReissue } from './reissue';
import { refuseStoreInUse } from './store-in-use';

/**
 * A whole disbursement round through the real API and its jobs, into a folder that is kept:
 * claim the folder, start the API on the user's settings (the folder filling the gaps), play the
 * round, save a proof, say what to open next.
 */
export async function runDemo(options: DemoOptions, userEnv: Environment, stdout: NodeJS.WriteStream): Promise<void> {
  const started = Date.now();
  const folder = resolve(options.dir);
  const show = (path: string) => displayPath(resolve(path), process.cwd());
  await claimDemoFolder(folder, options.fresh, show(folder));
  const signingKey = await demoSigningKey(userEnv, folder);
  const queuePrefix = `salur-demo-${randomUUID()}`;
  const settings = demoSettings(userEnv, { folder, queuePrefix, signingKey: signingKey?.signerKey });
  const progress = progressFor(stdout);
  progress.say(
    `\nSalur demo: one disbursement round of ${options.beneficiaries.toLocaleString('en')} beneficiaries, ` +
      `Musi Banyuasin (16.06), into ${show(folder)}\n`,
  );
  const app = await startDemoApi(settings.config, !isUnset(userEnv, 'PORT'));
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    await refuseStoreInUse(store, settings, show);
    const context: DemoContext = {
      client: new ApiClient(await app.getUrl(), settings.config.http.jwt.secret),
      progress,
      config: settings.config,
      store,
      beneficiaries: options.beneficiaries,
      bankAnswersDir: join(folder, 'bank-answers'),
      bankFiles: new Map(),
    };
    await playRound(context);
    const outcome = await roundOutcome(store);
    outcomeTable(outcome).forEach((line) => progress.say(line));
    const paymentId = showcasePayment(outcome);
    const proof = paymentId ? await saveProof(context, paymentId, outcome.events, join(folder, 'proofs')) : undefined;
    const run = {
      folder,
      seconds: (Date.now() - started) / 1_000,
      events: outcome.events,
      signingKeyFile: signingKey?.file,
      apiUrl: options.serve ? await app.getUrl() : `http://127.0.0.1:${settings.config.port}`,
      serving: options.serve,
    };
    const facts = closingFacts(settings, context, proof, run, show);
    closingMessage(facts, show).forEach((line) => progress.say(line));
    if (options.serve) await interrupted();
  } finally {
    await app.close();
    if (settings.filled.QUEUE_PREFIX) await deleteQueueKeys(settings.config.queue.redisUrl, queuePrefix);
  }
}

async function playRound(context: DemoContext): Promise<void> {
  await createProgramme(context);
  await enrolBeneficiaries(context);
  await openRound(context);
  await payOutstanding(context, 'Round', context.beneficiaries, { rejectShare: 0.03, returnShare: 0.01 });
  const reissued = await fixAccountsAndReissue(context);
  if (reissued > 0) await payOutstanding(context, 'Reissue', reissued, { rejectShare: 0, returnShare: 0 });
}

/** Resolves on Ctrl-C (or a TERM), after which the demo closes the API and clears its queue keys. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
