import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as JsonLogger } from 'nestjs-pino';
import { startFailureOf } from '@salur/config';
import { workerConfigFrom } from './worker.config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = workerConfigFrom(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(JsonLogger));
  app.enableShutdownHooks();
  new Logger('Salur').log(`Worker running (event store: ${config.eventStore.adapter})`);
}

main().catch((error: unknown) => {
  console.error(startFailureOf(error));
  process.exit(1);
});
