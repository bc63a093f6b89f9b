import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BATCH_HANDLERS } from './application/batch.handlers';
import { BatchesController } from './http/batches.controller';

@Module({
  imports: [CqrsModule],
  controllers: [BatchesController],
  providers: [...BATCH_HANDLERS],
})
export class BatchesModule {}
