import type { BeneficiaryEvent } from './beneficiary.events';
import { profileOf, type BeneficiaryState, type EnrolledBeneficiary } from './beneficiary.state';

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
      const { reason, note } = event.data;
      const exit = note === undefined ? { exitReason: reason } : { exitReason: reason, exitNote: note };
      return { ...profileOf(enrolled(state, event)), status: 'exited', ...exit };
    }
  }
}

/** Only BeneficiaryEnrolled may start a stream; anything else first means a corrupt stream, a bug. */
function enrolled(state: BeneficiaryState, event: BeneficiaryEvent): EnrolledBeneficiary {
  if (state.status === 'absent') throw new Error(`${event.type} before BeneficiaryEnrolled`);
  return state;
}
