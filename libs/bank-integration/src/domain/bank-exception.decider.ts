import {
  canonicalUserId,
  conflict,
  type Decider,
  type DomainCommand,
  forbidden,
  parseText,
  sameUserId,
} from '@salur/kernel';
import {
  BANK_EXCEPTION_EVENTS,
  type BankExceptionEvent,
  type BankExceptionSubject,
  type BankResultExceptionAssigned,
  type BankResultExceptionResolved,
} from './bank-exception.events';

/** Longest resolution reason, in characters. */
export const MAX_RESOLUTION_REASON_LENGTH = 500;

type Subjected<Data> = Data & { readonly exceptionId: string; readonly subject: BankExceptionSubject };

export type AssignBankException = DomainCommand<'AssignBankException', Subjected<{ readonly assigneeId: string }>>;
export type ResolveBankException = DomainCommand<'ResolveBankException', Subjected<{ readonly reason: string }>>;
export type BankExceptionCommand = AssignBankException | ResolveBankException;

/**
 * An item's state from its own stream. Its stream starts empty: a raised item is open until
 * someone is assigned to it. Whether an item was raised at all is the handler's question (the
 * queue lists it); this decider rules on what may happen to an existing one.
 */
export type BankExceptionState =
  | { readonly status: 'open' }
  | { readonly status: 'assigned'; readonly assigneeId: string }
  | {
      readonly status: 'resolved';
      readonly assigneeId: string | null;
      readonly resolvedBy: string;
      readonly reason: string;
    };

export const initialBankExceptionState: BankExceptionState = { status: 'open' };

export const bankExceptionDecider: Decider<BankExceptionCommand, BankExceptionState, BankExceptionEvent> = {
  initialState: initialBankExceptionState,
  events: BANK_EXCEPTION_EVENTS,
  evolve: evolveBankException,
  decide(command, state) {
    switch (command.type) {
      case 'AssignBankException':
        return assign(command, state);
      case 'ResolveBankException':
        return resolve(command, state);
    }
  },
};

export function evolveBankException(state: BankExceptionState, event: BankExceptionEvent): BankExceptionState {
  switch (event.type) {
    case 'BankResultExceptionAssigned':
      return { status: 'assigned', assigneeId: event.data.assigneeId };
    case 'BankResultExceptionResolved':
      return {
        status: 'resolved',
        assigneeId: state.status === 'assigned' ? state.assigneeId : null,
        resolvedBy: event.data.resolvedBy,
        reason: event.data.reason,
      };
  }
}

/** Assigning to the current assignee again changes nothing; a resolved item is not reopened by an assignment. */
function assign({ data, context }: AssignBankException, state: BankExceptionState): BankResultExceptionAssigned[] {
  const assigneeId = canonicalUserId(data.assigneeId, 'assigneeId');
  if (state.status === 'resolved') {
    throw conflict('BANK_EXCEPTION_RESOLVED', `Exception ${data.exceptionId} is resolved; it cannot be assigned`);
  }
  if (state.status === 'assigned' && sameUserId(state.assigneeId, assigneeId)) return [];
  return [
    {
      type: 'BankResultExceptionAssigned',
      data: {
        exceptionId: data.exceptionId,
        ...data.subject,
        assigneeId,
        assignedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/**
 * A resolution always has a reason, and happens once. An item assigned to someone is resolved by
 * them or by an admin: the assignment says who is working it.
 */
function resolve({ data, context }: ResolveBankException, state: BankExceptionState): BankResultExceptionResolved[] {
  const reason = parseText(data.reason, 'reason', 'RESOLUTION_REASON_REQUIRED', MAX_RESOLUTION_REASON_LENGTH);
  if (state.status === 'resolved') {
    throw conflict(
      'BANK_EXCEPTION_ALREADY_RESOLVED',
      `Exception ${data.exceptionId} was already resolved by ${state.resolvedBy}: ${state.reason}`,
    );
  }
  const { actor } = context;
  if (state.status === 'assigned' && actor.role !== 'admin' && !sameUserId(state.assigneeId, actor.userId)) {
    throw forbidden(
      'BANK_EXCEPTION_ASSIGNED_TO_ANOTHER',
      `Exception ${data.exceptionId} is assigned to ${state.assigneeId}: they or an admin resolve it, or it is reassigned first`,
    );
  }
  return [
    {
      type: 'BankResultExceptionResolved',
      data: { exceptionId: data.exceptionId, ...data.subject, reason, resolvedBy: actor.userId, at: context.now },
    },
  ];
}
