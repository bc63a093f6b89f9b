import { DynamicModule, Global, Module } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig } from './ledger.config';

/** Makes the ledger's settings available to every capability's handlers. */
@Global()
@Module({})
export class LedgerConfigModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerConfigModule,
      providers: [{ provide: LEDGER_CONFIG, useValue: config }],
      exports: [LEDGER_CONFIG],
    };
  }
}
