import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandReceipt, handleCommand, metadataOf, receiptOf } from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { notFound } from '@salur/kernel';
import {
  type BankExceptionCommand,
  bankExceptionDecider,
  bankExceptionStreamName,
  type BankExceptionSubject,
} from '../domain';
import { BankExceptionQueries } from '../read-models/bank-exceptions.queries';
import { AssignBankExceptionCommand, ResolveBankExceptionCommand } from './bank-exception.messages';

/**
 * The item as the queue lists it. Its raising fact is immutable (a line that did not reconcile
 * stays so), so the queue is a safe place to learn that it exists and what it is about; a fact
 * not yet projected answers 404 for the moment it takes. What may happen to it is decided on its
 * own stream.
 */
async function subjectOf(queries: BankExceptionQueries, exceptionId: string): Promise<BankExceptionSubject> {
  const item = await queries.get(exceptionId);
  if (item === undefined) {
    throw notFound('BANK_EXCEPTION_NOT_FOUND', `No exception ${exceptionId} in the exception queue`);
  }
  const { sha256, line, paymentId, batchId } = item;
  return { sha256, line, paymentId, batchId };
}

async function handle(
  store: EventStore,
  exceptionId: string,
  command: BankExceptionCommand,
  metadata: ReturnType<typeof metadataOf>,
): Promise<CommandReceipt> {
  const outcome = await handleCommand(store, bankExceptionStreamName(exceptionId), bankExceptionDecider, command, {
    metadata,
  });
  return receiptOf(exceptionId, outcome);
}

@CommandHandler(AssignBankExceptionCommand)
export class AssignBankExceptionHandler implements ICommandHandler<AssignBankExceptionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: BankExceptionQueries,
  ) {}

  async execute({ exceptionId, assigneeId, context }: AssignBankExceptionCommand): Promise<CommandReceipt> {
    const subject = await subjectOf(this.queries, exceptionId);
    return handle(
      this.store,
      exceptionId,
      { type: 'AssignBankException', data: { exceptionId, subject, assigneeId }, context },
      metadataOf(context),
    );
  }
}

@CommandHandler(ResolveBankExceptionCommand)
export class ResolveBankExceptionHandler implements ICommandHandler<ResolveBankExceptionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: BankExceptionQueries,
  ) {}

  async execute({ exceptionId, reason, context }: ResolveBankExceptionCommand): Promise<CommandReceipt> {
    const subject = await subjectOf(this.queries, exceptionId);
    return handle(
      this.store,
      exceptionId,
      { type: 'ResolveBankException', data: { exceptionId, subject, reason }, context },
      metadataOf(context),
    );
  }
}

export const BANK_EXCEPTION_HANDLERS = [AssignBankExceptionHandler, ResolveBankExceptionHandler];
