import { Logger } from '@nestjs/common';
import { startFailureOf } from '@salur/config';
import { apiConfigFrom } from './api.config';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = apiConfigFrom(process.env);
  const app = await createApi(config);
  await app.listen(config.port);
  new Logger('Salur').log(
    `API listening on http://127.0.0.1:${config.port} (event store: ${config.eventStore.adapter}, ` +
      `workers: ${config.embeddedWorkers ? 'in this process' : 'separate'})`,
  );
}

main().catch((error: unknown) => {
  console.error(startFailureOf(error));
  process.exit(1);
});
