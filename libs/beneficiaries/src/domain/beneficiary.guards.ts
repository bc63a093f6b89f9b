import { notFound, ruleBroken } from '@salur/kernel';
import type { BeneficiaryState, EnrolledBeneficiary, ErasedBeneficiary } from './beneficiary.state';

/** An enrolled beneficiary whose data is still held: the only kind a command may act on. */
export type KnownBeneficiary = Exclude<EnrolledBeneficiary, ErasedBeneficiary>;

/** The beneficiary a command acts on; an erased one refuses every command (BENEFICIARY_ERASED). */
export function existing(state: BeneficiaryState, beneficiaryId: string): KnownBeneficiary {
  if (state.status === 'absent') {
    throw notFound('BENEFICIARY_NOT_FOUND', `Beneficiary ${beneficiaryId} is not enrolled`);
  }
  if (state.beneficiaryId !== beneficiaryId) {
    // The handler loaded another beneficiary's stream: a bug, not a request to refuse politely.
    throw new Error(`Command for beneficiary ${beneficiaryId} decided on the stream of ${state.beneficiaryId}`);
  }
  if (state.status === 'erased') throw erasedError(beneficiaryId);
  return state;
}

export function erasedError(beneficiaryId: string) {
  return ruleBroken('BENEFICIARY_ERASED', `The personal data of beneficiary ${beneficiaryId} was erased`);
}

export function factOf(beneficiary: EnrolledBeneficiary, at: string) {
  return { beneficiaryId: beneficiary.beneficiaryId, programmeId: beneficiary.programmeId, at };
}
