import { Command } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';

export class AssignBankExceptionCommand extends Command<CommandReceipt> {
  constructor(
    readonly exceptionId: string,
    readonly assigneeId: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class ResolveBankExceptionCommand extends Command<CommandReceipt> {
  constructor(
    readonly exceptionId: string,
    readonly reason: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}
