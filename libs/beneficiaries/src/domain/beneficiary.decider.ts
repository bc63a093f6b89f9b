import { conflict, ruleBroken, type Decider } from '@salur/kernel';
import { parseBankAccount, sameBankAccount } from './bank-account';
import type {
  BeneficiaryCommand,
  ChangeBankAccount,
  EnrolBeneficiary,
  ExitBeneficiary,
  ReinstateBeneficiary,
  SuspendBeneficiary,
} from './beneficiary.commands';
import { BENEFICIARY_EVENTS, type BeneficiaryEvent } from './beneficiary.events';
import { evolveBeneficiary } from './beneficiary.evolve';
import { parseExitReason, parseOptionalNote, parseReason } from './beneficiary.rules';
import { approveErasure, requestErasure } from './beneficiary-erasure.decide';
import { erasedError, existing, factOf } from './beneficiary.guards';
import { initialBeneficiaryState, type BeneficiaryState, type EnrolledBeneficiary } from './beneficiary.state';
import { parseKk, parseNik } from './nik';
import { parsePersonName } from './person-name';
import { parseRegionCode } from './region-code';
import { parseIdentifier } from '@salur/kernel';

/*
 * Each decision first checks the command's own data (400), then the state (404, 409, 422).
 * A command that finds the beneficiary in the wrong state is refused (422); it returns no events
 * only when it is an exact retry: the state is the one it would reach, for the same reason.
 */

export function decideBeneficiary(command: BeneficiaryCommand, state: BeneficiaryState): BeneficiaryEvent[] {
  switch (command.type) {
    case 'EnrolBeneficiary':
      return enrol(command, state);
    case 'ChangeBankAccount':
      return changeBankAccount(command, state);
    case 'SuspendBeneficiary':
      return suspend(command, state);
    case 'ReinstateBeneficiary':
      return reinstate(command, state);
    case 'ExitBeneficiary':
      return exit(command, state);
    case 'RequestBeneficiaryErasure':
      return requestErasure(command, state);
    case 'ApproveBeneficiaryErasure':
      return approveErasure(command, state);
  }
}

export const beneficiaryDecider: Decider<BeneficiaryCommand, BeneficiaryState, BeneficiaryEvent> = {
  initialState: initialBeneficiaryState,
  events: BENEFICIARY_EVENTS,
  decide: decideBeneficiary,
  evolve: evolveBeneficiary,
};

function enrol({ data, context }: EnrolBeneficiary, state: BeneficiaryState): BeneficiaryEvent[] {
  const beneficiaryId = parseIdentifier(data.beneficiaryId, 'beneficiaryId');
  const programmeId = parseIdentifier(data.programmeId, 'programmeId');
  const { nik } = parseNik(data.nik, context.now);
  const { kk } = parseKk(data.kk);
  const name = parsePersonName(data.name);
  const { regionCode } = parseRegionCode(data.regionCode);
  const bankAccount = parseBankAccount(data.bankAccount);
  if (state.status === 'erased') throw erasedError(state.beneficiaryId);
  if (state.status !== 'absent') {
    // Even an identical re-enrolment is refused: a bulk import reports the row as already enrolled.
    throw conflict('DUPLICATE_ENROLMENT', `This NIK is already enrolled in ${state.programmeId}`, 'nik');
  }
  return [
    {
      type: 'BeneficiaryEnrolled',
      data: {
        beneficiaryId,
        programmeId,
        nik,
        kk,
        name,
        regionCode,
        bankAccount,
        enrolledBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

function changeBankAccount({ data, context }: ChangeBankAccount, state: BeneficiaryState): BeneficiaryEvent[] {
  const bankAccount = parseBankAccount(data.bankAccount);
  const reason = parseReason(data.reason);
  const beneficiary = existing(state, data.beneficiaryId);
  if (beneficiary.status === 'exited') throw exited(beneficiary);
  if (sameBankAccount(beneficiary.bankAccount, bankAccount)) return [];
  return [
    {
      type: 'BankAccountChanged',
      data: {
        ...factOf(beneficiary, context.now),
        previousBankAccount: beneficiary.bankAccount,
        bankAccount,
        reason,
        changedBy: context.actor.userId,
      },
    },
  ];
}

function suspend({ data, context }: SuspendBeneficiary, state: BeneficiaryState): BeneficiaryEvent[] {
  const reason = parseReason(data.reason);
  const beneficiary = existing(state, data.beneficiaryId);
  if (beneficiary.status === 'exited') throw exited(beneficiary);
  if (beneficiary.status === 'suspended') {
    if (beneficiary.suspensionReason === reason) return [];
    throw ruleBroken(
      'BENEFICIARY_NOT_ACTIVE',
      `Beneficiary ${beneficiary.beneficiaryId} is already suspended (${beneficiary.suspensionReason})`,
    );
  }
  const fact = factOf(beneficiary, context.now);
  return [{ type: 'BeneficiarySuspended', data: { ...fact, reason, suspendedBy: context.actor.userId } }];
}

function reinstate({ data, context }: ReinstateBeneficiary, state: BeneficiaryState): BeneficiaryEvent[] {
  const reason = parseReason(data.reason);
  const beneficiary = existing(state, data.beneficiaryId);
  if (beneficiary.status === 'exited') throw exited(beneficiary);
  if (beneficiary.status === 'active') {
    if (beneficiary.reinstatementReason === reason) return [];
    throw ruleBroken('BENEFICIARY_NOT_SUSPENDED', `Beneficiary ${beneficiary.beneficiaryId} is not suspended`);
  }
  const fact = factOf(beneficiary, context.now);
  return [{ type: 'BeneficiaryReinstated', data: { ...fact, reason, reinstatedBy: context.actor.userId } }];
}

function exit({ data, context }: ExitBeneficiary, state: BeneficiaryState): BeneficiaryEvent[] {
  const reason = parseExitReason(data.reason);
  const note = parseOptionalNote(data.note);
  const beneficiary = existing(state, data.beneficiaryId);
  if (beneficiary.status === 'exited') {
    if (beneficiary.exitReason === reason && beneficiary.exitNote === note) return [];
    throw exited(beneficiary);
  }
  const fact = factOf(beneficiary, context.now);
  const noted = note === undefined ? {} : { note };
  return [{ type: 'BeneficiaryExited', data: { ...fact, reason, ...noted, exitedBy: context.actor.userId } }];
}

function exited(beneficiary: EnrolledBeneficiary) {
  return ruleBroken('BENEFICIARY_EXITED', `Beneficiary ${beneficiary.beneficiaryId} has exited the programme`);
}
