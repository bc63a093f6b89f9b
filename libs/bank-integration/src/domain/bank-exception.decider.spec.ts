import type { CommandContext, Role } from '@salur/kernel';
import { specFor } from '@salur/kernel/testing';
import type { BankExceptionCommand } from './bank-exception.decider';
import { bankExceptionDecider } from './bank-exception.decider';
import {
  bankExceptionIdOf,
  type BankExceptionSubject,
  type BankResultExceptionAssigned,
  type BankResultExceptionResolved,
} from './bank-exception.events';

const spec = specFor(bankExceptionDecider);
const at = '2026-11-28T09:00:00.000Z';
const sha256 = 'b'.repeat(64);
const exceptionId = bankExceptionIdOf(sha256, 7);
const subject: BankExceptionSubject = {
  sha256,
  line: 7,
  paymentId: '5d6f1b7e-2c43-4e6a-9d1f-000000000009',
  batchId: '5d6f1b7e-2c43-4e6a-9d1f-000000000001',
};
const as = (userId: string, role: Role = 'bank-integration'): CommandContext => ({ actor: { userId, role }, now: at });

const assign = (assigneeId: string, context = as('lead')): BankExceptionCommand => ({
  type: 'AssignBankException',
  data: { exceptionId, subject, assigneeId },
  context,
});
const resolve = (reason: string, context = as('op-1')): BankExceptionCommand => ({
  type: 'ResolveBankException',
  data: { exceptionId, subject, reason },
  context,
});
const assigned = (assigneeId: string, assignedBy = 'lead'): BankResultExceptionAssigned => ({
  type: 'BankResultExceptionAssigned',
  data: { exceptionId, ...subject, assigneeId, assignedBy, at },
});
const resolved = (reason: string, resolvedBy = 'op-1'): BankResultExceptionResolved => ({
  type: 'BankResultExceptionResolved',
  data: { exceptionId, ...subject, reason, resolvedBy, at },
});

describe('an exception item', () => {
  it('gets the same id from the same file and line, another from another line or file', () => {
    expect(bankExceptionIdOf(sha256, 7)).toBe(exceptionId);
    expect(bankExceptionIdOf(sha256, 8)).not.toBe(exceptionId);
    expect(bankExceptionIdOf('c'.repeat(64), 7)).not.toBe(exceptionId);
  });

  describe('assignment', () => {
    it('assigns an open item, naming who assigned it', () =>
      spec([])
        .when(assign('op-1'))
        .then([assigned('op-1')]));
    it('takes the assignee in its canonical spelling', () =>
      spec([])
        .when(assign('  OP-1 '))
        .then([assigned('op-1')]));
    it('refuses an assignee that is not a user id', () =>
      spec([]).when(assign('op 1')).thenThrows({ code: 'INVALID_USER_ID', kind: 'invalid', field: 'assigneeId' }));
    it('changes nothing when assigned to the same person again', () =>
      spec([assigned('op-1')])
        .when(assign('OP-1'))
        .thenNothingHappens());
    it('reassigns to someone else', () =>
      spec([assigned('op-1')])
        .when(assign('op-2'))
        .then([assigned('op-2')]));
    it('refuses to assign a resolved item', () =>
      spec([resolved('booked by hand')])
        .when(assign('op-2'))
        .thenThrows({ code: 'BANK_EXCEPTION_RESOLVED', kind: 'conflict' }));
  });

  describe('resolution', () => {
    it('resolves an open item with a reason', () =>
      spec([])
        .when(resolve('  not our client '))
        .then([resolved('not our client')]));
    it('resolves an item assigned to the resolver', () =>
      spec([assigned('op-1')])
        .when(resolve('bank confirmed'))
        .then([resolved('bank confirmed')]));
    it('lets an admin resolve an item assigned to someone else', () =>
      spec([assigned('op-1')])
        .when(resolve('closed by admin', as('admin-1', 'admin')))
        .then([resolved('closed by admin', 'admin-1')]));
    it('refuses another operator on an item assigned to someone else', () =>
      spec([assigned('op-1')])
        .when(resolve('mine now', as('op-2')))
        .thenThrows({ code: 'BANK_EXCEPTION_ASSIGNED_TO_ANOTHER', kind: 'forbidden' }));
    it('refuses a resolution without a reason', () =>
      spec([])
        .when(resolve('   '))
        .thenThrows({ code: 'RESOLUTION_REASON_REQUIRED', kind: 'invalid', field: 'reason' }));
    it('refuses a reason longer than 500 characters', () =>
      spec([])
        .when(resolve('x'.repeat(501)))
        .thenThrows({ code: 'RESOLUTION_REASON_REQUIRED', kind: 'invalid' }));
    it('refuses to resolve twice, naming the first resolution', () =>
      spec([assigned('op-1'), resolved('bank confirmed')])
        .when(resolve('bank confirmed'))
        .thenThrows({ code: 'BANK_EXCEPTION_ALREADY_RESOLVED', kind: 'conflict' }));
  });
});
