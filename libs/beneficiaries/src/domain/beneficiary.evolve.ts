import type { BeneficiaryEvent } from './beneficiary.events';
import {
  profileOf,
  type BeneficiaryState,
  type EnrolledBeneficiary,
  type ExitedBeneficiary,
} from './beneficiary.state';

export function evolveBeneficiary(state: BeneficiaryState, event: BeneficiaryEvent): BeneficiaryState {
  switch (event.type) {
    case 'BeneficiaryEnrolled': {
      const { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount } = event.data;
      return { status: 'active', beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount };
    }
    case 'BankAccountChanged':
      return { ...enrolled(state, event), bankAccount: event.data.bankAccount };
    case 'BeneficiarySuspended':
      return { ...profileOf(enrolled(state, event)), status: 'suspended', suspensionReason: event.data.reason };
    case 'BeneficiaryReinstated':
      return { ...profileOf(enrolled(state, event)), status: 'active', reinstatementReason: event.data.reason };
    case 'BeneficiaryExited': {
      const { reason, note, at } = event.data;
      const exit = note === undefined ? { exitReason: reason } : { exitReason: reason, exitNote: note };
      return { ...profileOf(enrolled(state, event)), status: 'exited', ...exit, exitedAt: at };
    }
    case 'BeneficiaryErasureRequested': {
      const { requestedBy, reason, at } = event.data;
      return { ...exitedOnly(state, event), erasureRequest: { requestedBy, reason, at } };
    }
    case 'BeneficiaryErased':
      return { ...profileOf(exitedOnly(state, event)), status: 'erased', erasedAt: event.data.at };
  }
}

/** Only an exited beneficiary is erased (the decider's rule); anything else is a corrupt stream, a bug. */
function exitedOnly(state: BeneficiaryState, event: BeneficiaryEvent): ExitedBeneficiary {
  const beneficiary = enrolled(state, event);
  if (beneficiary.status !== 'exited') throw new Error(`${event.type} of a beneficiary ${beneficiary.status}`);
  return beneficiary;
}

/** Only BeneficiaryEnrolled may start a stream; anything else first means a corrupt stream, a bug. */
function enrolled(state: BeneficiaryState, event: BeneficiaryEvent): EnrolledBeneficiary {
  if (state.status === 'absent') throw new Error(`${event.type} before BeneficiaryEnrolled`);
  return state;
}
