import { Command, Query } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';
import type { BankAccount, ExitReason } from '../domain';
import type { Viewer } from '@salur/personal-data';

export interface EnrolmentInput {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: BankAccount;
}

export class EnrolBeneficiaryCommand extends Command<CommandReceipt> {
  constructor(
    readonly programmeId: string,
    readonly input: EnrolmentInput,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export type BeneficiaryChange =
  | { readonly type: 'ChangeBankAccount'; readonly bankAccount: BankAccount; readonly reason: string }
  | { readonly type: 'SuspendBeneficiary'; readonly reason: string }
  | { readonly type: 'ReinstateBeneficiary'; readonly reason: string }
  | { readonly type: 'ExitBeneficiary'; readonly reason: ExitReason; readonly note?: string };

/** Every change to an enrolled beneficiary: one path, as they share their loading and their rules. */
export class ChangeBeneficiaryCommand extends Command<CommandReceipt> {
  constructor(
    readonly beneficiaryId: string,
    readonly change: BeneficiaryChange,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export interface BeneficiaryView {
  readonly beneficiaryId: string;
  readonly programmeId: string;
  readonly status: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: BankAccount;
  /** True when NIK, KK or the account number were masked for this viewer. */
  readonly masked: boolean;
  readonly revision: number;
}

export class GetBeneficiaryQuery extends Query<BeneficiaryView> {
  constructor(
    readonly beneficiaryId: string,
    readonly viewer: Viewer,
  ) {
    super();
  }
}

/** The first admin's half of an erasure (UU 27/2022); the reason is sealed with the beneficiary's key. */
export class RequestBeneficiaryErasureCommand extends Command<CommandReceipt> {
  constructor(
    readonly beneficiaryId: string,
    readonly reason: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

/** A second admin's approval: records BeneficiaryErased, then deletes the beneficiary's key. */
export class ApproveBeneficiaryErasureCommand extends Command<CommandReceipt> {
  constructor(
    readonly beneficiaryId: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}
