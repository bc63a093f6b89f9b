import { readModel } from '@salur/projections';
import { beneficiaryEvent } from './event-guards';
import { BeneficiaryRow, BENEFICIARIES_TABLE } from './beneficiaries.tables';

/** One row per enrolment: who, where, which account, and whether they are paid. */
export const beneficiariesReadModel = readModel<BeneficiaryRow>({
  table: BENEFICIARIES_TABLE,

  rowIdsOf(recorded) {
    const event = beneficiaryEvent(recorded);
    return event === undefined ? [] : [event.data.beneficiaryId];
  },

  evolve(row, recorded) {
    const event = beneficiaryEvent(recorded);
    if (event === undefined) return row;
    if (event.type === 'BeneficiaryEnrolled') {
      const { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount, at } = event.data;
      return {
        id: beneficiaryId,
        programmeId,
        nik,
        kk,
        name,
        regionCode,
        bankCode: bankAccount.bankCode,
        accountNumber: bankAccount.accountNumber,
        accountHolderName: bankAccount.accountHolderName,
        status: 'active',
        enrolledAt: at,
        updatedAt: at,
      };
    }
    if (row === undefined) return row;
    switch (event.type) {
      case 'BankAccountChanged': {
        const { bankCode, accountNumber, accountHolderName } = event.data.bankAccount;
        return { ...row, bankCode, accountNumber, accountHolderName, updatedAt: event.data.at };
      }
      case 'BeneficiarySuspended':
        return { ...row, status: 'suspended', updatedAt: event.data.at };
      case 'BeneficiaryReinstated':
        return { ...row, status: 'active', updatedAt: event.data.at };
      case 'BeneficiaryExited':
        return { ...row, status: 'exited', updatedAt: event.data.at };
      default:
        // An event this read model does not know (a newer type) never changes or deletes the row.
        return row;
    }
  },
});
