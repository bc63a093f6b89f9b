import { approveBatch } from './batch-approvers';
import { closeBatch, createBatch, removeFromBatch } from './batch-makers';
import { submitBatch, writeBankFiles } from './bank-handover';
import { changeBeneficiary, enrol } from './enrolment-officers';
import { decideUnknownOutcome, reissueRound, reverseCredit } from './payment-desk';
import { createProgramme, openRoundAction, raiseBudgetCeiling } from './programme-officers';
import type { UserAction } from './user-action';

/** Everything the users may do, weighted by how often they do it. */
export const USER_ACTIONS: readonly UserAction[] = [
  createProgramme,
  raiseBudgetCeiling,
  enrol,
  changeBeneficiary,
  openRoundAction,
  createBatch,
  removeFromBatch,
  closeBatch,
  approveBatch,
  writeBankFiles,
  submitBatch,
  reissueRound,
  decideUnknownOutcome,
  reverseCredit,
];
