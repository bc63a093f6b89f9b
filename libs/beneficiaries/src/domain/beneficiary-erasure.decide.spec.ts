import { specFor } from '@salur/kernel/testing';
import type { CommandContext } from '@salur/kernel';
import type { ApproveBeneficiaryErasure, BeneficiaryCommand, RequestBeneficiaryErasure } from './beneficiary.commands';
import { beneficiaryDecider } from './beneficiary.decider';
import type { BeneficiaryErased, BeneficiaryErasureRequested } from './beneficiary.events';
import { BENEFICIARY_ID, BRI_ACCOUNT, enrolled, exited, fact, NOW, suspended } from './beneficiary.fixtures';

const given = specFor(beneficiaryDecider);

/** Exited at NOW (2026-11-26T03:00Z); erasure asked for five years later to the second. */
const FIVE_YEARS_ON = '2031-11-26T03:00:00.000Z';
const adminAt = (userId: string, now = FIVE_YEARS_ON): CommandContext => ({ actor: { userId, role: 'admin' }, now });
const REASON = 'the data subject asked for deletion, letter 2031/17';

function request(
  overrides: Partial<RequestBeneficiaryErasure['data']> = {},
  context = adminAt('admin-a'),
): RequestBeneficiaryErasure {
  return {
    type: 'RequestBeneficiaryErasure',
    data: { beneficiaryId: BENEFICIARY_ID, reason: REASON, retention: 'P5Y', openPaymentIds: [], ...overrides },
    context,
  };
}

function approve(
  overrides: Partial<ApproveBeneficiaryErasure['data']> = {},
  context = adminAt('admin-b'),
): ApproveBeneficiaryErasure {
  return {
    type: 'ApproveBeneficiaryErasure',
    data: { beneficiaryId: BENEFICIARY_ID, retention: 'P5Y', openPaymentIds: [], ...overrides },
    context,
  };
}

const requested: BeneficiaryErasureRequested = {
  type: 'BeneficiaryErasureRequested',
  data: { ...fact, at: FIVE_YEARS_ON, reason: REASON, requestedBy: 'admin-a' },
};

const erased: BeneficiaryErased = {
  type: 'BeneficiaryErased',
  data: {
    ...fact,
    at: FIVE_YEARS_ON,
    requestedBy: 'admin-a',
    approvedBy: 'admin-b',
    retention: 'P5Y',
    retentionEndedAt: FIVE_YEARS_ON,
  },
};

describe('RequestBeneficiaryErasure', () => {
  it('records the request once the retention counted from the exit has run out', () => {
    given([enrolled, exited()]).when(request()).then([requested]);
  });

  it('refuses while the retention runs, to the millisecond (RETENTION_RUNNING)', () => {
    given([enrolled, exited()])
      .when(request({}, adminAt('admin-a', '2031-11-26T02:59:59.999Z')))
      .thenThrows({ code: 'RETENTION_RUNNING', kind: 'rule' });
  });

  it('accepts at once when the programme keeps nothing (P0D)', () => {
    given([enrolled, exited()])
      .when(request({ retention: 'P0D' }, adminAt('admin-a', NOW)))
      .then([{ ...requested, data: { ...requested.data, at: NOW } }]);
  });

  it.each([
    ['active', [enrolled]],
    ['suspended', [enrolled, suspended()]],
  ])('refuses a beneficiary still %s (BENEFICIARY_NOT_EXITED)', (_, history) => {
    given(history).when(request()).thenThrows({ code: 'BENEFICIARY_NOT_EXITED', kind: 'rule' });
  });

  it('refuses while a payment is still moving (PAYMENTS_NOT_FINAL)', () => {
    given([enrolled, exited()])
      .when(request({ openPaymentIds: ['payment-1'] }))
      .thenThrows({ code: 'PAYMENTS_NOT_FINAL', kind: 'rule' });
  });

  it('refuses an unknown beneficiary (BENEFICIARY_NOT_FOUND) and a missing reason (INVALID_REASON)', () => {
    given([]).when(request()).thenThrows({ code: 'BENEFICIARY_NOT_FOUND', kind: 'not-found' });
    given([enrolled, exited()])
      .when(request({ reason: '  ' }))
      .thenThrows({ code: 'INVALID_REASON', kind: 'invalid' });
  });

  it("takes the same admin's same request again as a retry, and another admin's as a conflict", () => {
    given([enrolled, exited(), requested])
      .when(request({}, adminAt(' ADMIN-A ')))
      .thenNothingHappens();
    given([enrolled, exited(), requested])
      .when(request({}, adminAt('admin-b')))
      .thenThrows({ code: 'ERASURE_ALREADY_REQUESTED', kind: 'conflict' });
  });
});

describe('ApproveBeneficiaryErasure', () => {
  it('records the erasure by a second admin, with the retention it was judged against', () => {
    given([enrolled, exited(), requested]).when(approve()).then([erased]);
  });

  it.each(['admin-a', 'ADMIN-A', ' admin-a '])('refuses the requester, spelt %p (FOUR_EYES_REQUIRED)', (userId) => {
    given([enrolled, exited(), requested])
      .when(approve({}, adminAt(userId)))
      .thenThrows({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' });
  });

  it('refuses an approval nobody asked for (ERASURE_NOT_REQUESTED)', () => {
    given([enrolled, exited()]).when(approve()).thenThrows({ code: 'ERASURE_NOT_REQUESTED', kind: 'rule' });
  });

  it('checks the retention and the payments again: they may have changed since the request', () => {
    given([enrolled, exited(), requested])
      .when(approve({ retention: 'P6Y' }))
      .thenThrows({ code: 'RETENTION_RUNNING', kind: 'rule' });
    given([enrolled, exited(), requested])
      .when(approve({ openPaymentIds: ['payment-1'] }))
      .thenThrows({ code: 'PAYMENTS_NOT_FINAL', kind: 'rule' });
  });
});

describe('an erased beneficiary', () => {
  const history = [enrolled, exited(), requested, erased];
  const reason = 'anything';
  const commands: Array<[string, BeneficiaryCommand]> = [
    ['a second approval', approve()],
    ['a new request', request()],
    [
      'an exit',
      { type: 'ExitBeneficiary', data: { beneficiaryId: BENEFICIARY_ID, reason: 'moved' }, context: adminAt('x') },
    ],
    [
      'a suspension',
      { type: 'SuspendBeneficiary', data: { beneficiaryId: BENEFICIARY_ID, reason }, context: adminAt('x') },
    ],
    [
      'a reinstatement',
      { type: 'ReinstateBeneficiary', data: { beneficiaryId: BENEFICIARY_ID, reason }, context: adminAt('x') },
    ],
    [
      'an account change',
      {
        type: 'ChangeBankAccount',
        data: { beneficiaryId: BENEFICIARY_ID, bankAccount: { ...BRI_ACCOUNT, accountNumber: '1234567890' }, reason },
        context: adminAt('x'),
      },
    ],
    [
      're-enrolment',
      {
        type: 'EnrolBeneficiary',
        data: { ...enrolled.data, bankAccount: BRI_ACCOUNT },
        context: adminAt('x'),
      },
    ],
  ];

  it.each(commands)('refuses %s (BENEFICIARY_ERASED)', (_, command) => {
    given(history).when(command).thenThrows({ code: 'BENEFICIARY_ERASED', kind: 'rule' });
  });

  it("folds to 'erased', keeping the profile the log now reads as '[erased]'", () => {
    const state = history.reduce(beneficiaryDecider.evolve, beneficiaryDecider.initialState);
    expect(state).toMatchObject({ status: 'erased', beneficiaryId: BENEFICIARY_ID, erasedAt: FIVE_YEARS_ON });
  });
});
