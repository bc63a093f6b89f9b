import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as JsonLogger } from 'nestjs-pino';
import { startFailureOf } from '@salur/config';
import { projectorConfigFrom } from './projector.config';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = projectorConfigFrom(process.env);
  const app = await NestFactory.create<NestExpressApplication>(ProjectorModule.register(config), {
    // Held until the JSON logger is in place, so even start-up messages are JSON lines.
    bufferLogs: true,
    // Its routes are probes, metrics and reads: no request body is taken.
    bodyParser: false,
  });
  app.useLogger(app.get(JsonLogger));
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(config.port);
  new Logger('Salur').log(
    `Projector running, probes and metrics on http://127.0.0.1:${config.port} (event store: ${config.eventStore.adapter})`,
  );
}

main().catch((error: unknown) => {
  console.error(startFailureOf(error));
  process.exit(1);
});
