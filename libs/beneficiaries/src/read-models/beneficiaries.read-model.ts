import type { RecordedEvent } from '@salur/event-store';
import { searchKeyOf, storedEventOf, storedText } from '@salur/personal-data';
import { readModel } from '@salur/projections';
import type { BankAccount } from '../domain';
import { beneficiaryEvent } from './event-guards';
import { BeneficiaryRow, BENEFICIARIES_TABLE } from './beneficiaries.tables';

/**
 * One row per enrolment: who, where, which account, and whether they are paid. Personal fields
 * are read from the stored (sealed) form of the event, never from its opened data.
 */
export const beneficiariesReadModel = readModel<BeneficiaryRow>({
  table: BENEFICIARIES_TABLE,

  rowIdsOf(recorded) {
    const event = beneficiaryEvent(recorded);
    return event === undefined ? [] : [event.data.beneficiaryId];
  },

  evolve(row, recorded) {
    const event = beneficiaryEvent(storedEventOf(recorded));
    if (event === undefined) return row;
    if (event.type === 'BeneficiaryEnrolled') {
      const { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount, at } = event.data;
      return {
        id: beneficiaryId,
        programmeId,
        ...searchKeysOf(recorded),
        sealedNik: storedText(nik),
        sealedKk: storedText(kk),
        sealedName: storedText(name),
        regionCode,
        ...accountOf(bankAccount),
        status: 'active',
        enrolledAt: at,
        updatedAt: at,
      };
    }
    if (row === undefined) return row;
    switch (event.type) {
      case 'BankAccountChanged':
        return { ...row, ...accountOf(event.data.bankAccount), updatedAt: event.data.at };
      case 'BeneficiarySuspended':
        return { ...row, status: 'suspended', updatedAt: event.data.at };
      case 'BeneficiaryReinstated':
        return { ...row, status: 'active', updatedAt: event.data.at };
      case 'BeneficiaryExited':
        return { ...row, status: 'exited', updatedAt: event.data.at };
      case 'BeneficiaryErased':
        // The sealed fields read '[erased]' from the key's deletion on; the search keys go too, so
        // the erased NIK no longer finds the record.
        return { ...row, status: 'erased', nikSearchKey: null, kkSearchKey: null, updatedAt: event.data.at };
      default:
        // An event this read model does not know (a newer type) never changes or deletes the row.
        return row;
    }
  },
});

function searchKeysOf(recorded: RecordedEvent): Pick<BeneficiaryRow, 'nikSearchKey' | 'kkSearchKey'> {
  return { nikSearchKey: searchKeyOf(recorded, 'nik'), kkSearchKey: searchKeyOf(recorded, 'kk') };
}

/** The account as stored: its number and holder sealed, the bank's code in clear. */
function accountOf(
  account: BankAccount,
): Pick<BeneficiaryRow, 'bankCode' | 'sealedAccountNumber' | 'sealedAccountHolderName'> {
  return {
    bankCode: account.bankCode,
    sealedAccountNumber: storedText(account.accountNumber),
    sealedAccountHolderName: storedText(account.accountHolderName),
  };
}
