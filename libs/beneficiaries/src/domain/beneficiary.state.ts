import type { BankAccount } from './bank-account';
import type { ExitReason } from './beneficiary.commands';

export interface BeneficiaryProfile {
  readonly beneficiaryId: string;
  readonly programmeId: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: BankAccount;
}

export interface AbsentBeneficiary {
  readonly status: 'absent';
}

/** Receives payments. */
export interface ActiveBeneficiary extends BeneficiaryProfile {
  readonly status: 'active';
  /** The reason of the reinstatement that made it active again, if it was: recognises a retried reinstatement. */
  readonly reinstatementReason?: string;
}

/** Receives no payments until reinstated. */
export interface SuspendedBeneficiary extends BeneficiaryProfile {
  readonly status: 'suspended';
  readonly suspensionReason: string;
}

/** The first admin's half of the four-eyes erasure. */
export interface ErasureRequest {
  readonly requestedBy: string;
  readonly reason: string;
  readonly at: string;
}

/** No payment, no change; once the retention ran out, erasable. */
export interface ExitedBeneficiary extends BeneficiaryProfile {
  readonly status: 'exited';
  readonly exitReason: ExitReason;
  readonly exitNote?: string;
  /** The exit's instant: the programme's retention counts from here. */
  readonly exitedAt: string;
  readonly erasureRequest?: ErasureRequest;
}

/**
 * Final for good: the personal data is erased (its key deleted), so the profile's fields read
 * '[erased]' when folded from the log. Every command is refused (BENEFICIARY_ERASED).
 */
export interface ErasedBeneficiary extends BeneficiaryProfile {
  readonly status: 'erased';
  readonly erasedAt: string;
}

export type EnrolledBeneficiary = ActiveBeneficiary | SuspendedBeneficiary | ExitedBeneficiary | ErasedBeneficiary;
export type BeneficiaryState = AbsentBeneficiary | EnrolledBeneficiary;

export const initialBeneficiaryState: BeneficiaryState = { status: 'absent' };

export const BENEFICIARY_STREAM_PREFIX = 'beneficiary-';

export function beneficiaryStreamName(beneficiaryId: string): string {
  return `${BENEFICIARY_STREAM_PREFIX}${beneficiaryId}`;
}

/** Only an active beneficiary is paid when a round opens. */
export function isPayable(state: BeneficiaryState): state is ActiveBeneficiary {
  return state.status === 'active';
}

export function profileOf(beneficiary: EnrolledBeneficiary): BeneficiaryProfile {
  const { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount } = beneficiary;
  return { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount };
}
