import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PROGRAMME_HANDLERS } from './application/programme.handlers';
import { ProgrammesController } from './http/programmes.controller';

@Module({
  imports: [CqrsModule],
  controllers: [ProgrammesController],
  providers: [...PROGRAMME_HANDLERS],
})
export class ProgrammesModule {}
