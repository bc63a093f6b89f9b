import { loadStream } from '@salur/application';
import {
  type BankAccount,
  type BeneficiaryChange,
  ChangeBeneficiaryCommand,
  EnrolBeneficiaryCommand,
} from '@salur/beneficiaries';
import { beneficiaryDecider, beneficiaryStreamName } from '@salur/beneficiaries/domain';
import type { UserAction } from './user-action';
import { CAST, contextOf, type World } from './world';

/** Beneficiaries per programme: a round of a few dozen keeps each step cheap. */
const MAX_BENEFICIARIES_PER_PROGRAMME = 30;
/** Banks with a BIC in the default routing (DEFAULT_BANK_BICS). */
const BANK_CODES = ['002', '008', '009', '014'] as const;

/** Synthetic identity number `serial`: Musi Banyuasin, a woman born 5 September 1985. */
function nikOf(serial: number): string {
  return `160601450985${String(serial).padStart(4, '0')}`;
}

function kkOf(serial: number): string {
  return `160601202211${String(serial).padStart(4, '0')}`;
}

function accountOf(world: World, serial: number): BankAccount {
  const digits = Array.from({ length: 12 }, () => world.random.below(10)).join('');
  return {
    bankCode: world.random.pick(BANK_CODES),
    accountNumber: `1${digits}`,
    accountHolderName: `PENERIMA ${serial}`,
  };
}

export const enrol: UserAction = {
  name: 'enrol beneficiary',
  weight: 6,
  async run(world) {
    const programmeId = world.random.pick(world.directory.programmes.length ? world.directory.programmes : [undefined]);
    if (!programmeId) return undefined;
    const serials = world.memory.enrolledSerials.get(programmeId) ?? [];
    if (serials.length >= MAX_BENEFICIARIES_PER_PROGRAMME) return undefined;
    // Now and then the same person again (a refused duplicate), or someone enrolled elsewhere.
    const again = serials.length > 0 && world.random.chance(0.05);
    const serial = again ? world.random.pick(serials) : world.memory.nextSerial++;
    const input = {
      nik: nikOf(serial),
      kk: kkOf(serial),
      name: `PENERIMA ${serial}`,
      regionCode: '16.06.01.2001',
      bankAccount: accountOf(world, serial),
    };
    const context = contextOf(world, world.random.pick(CAST.enrolmentOfficers));
    const receipt = await world.service.enrol.execute(new EnrolBeneficiaryCommand(programmeId, input, context));
    world.memory.enrolledSerials.set(programmeId, [...serials, serial]);
    return `enrolled ${receipt.id} in ${programmeId}`;
  },
};

export const changeBeneficiary: UserAction = {
  name: 'change beneficiary',
  weight: 3,
  async run(world) {
    const all = [...world.directory.beneficiaries.values()].flat();
    if (all.length === 0) return undefined;
    const beneficiaryId = world.random.pick(all);
    const { state } = await loadStream(world.store, beneficiaryStreamName(beneficiaryId), beneficiaryDecider);
    if (state.status === 'absent') return undefined;
    const change: BeneficiaryChange = world.random.weighted<BeneficiaryChange>([
      [
        { type: 'ChangeBankAccount', bankAccount: accountOf(world, 0), reason: 'account fixed after a bank refusal' },
        6,
      ],
      [{ type: 'SuspendBeneficiary', reason: 'data verification pending' }, 2],
      [{ type: 'ReinstateBeneficiary', reason: 'data verified' }, 2],
      [{ type: 'ExitBeneficiary', reason: 'moved' }, 0.5],
    ]);
    const context = contextOf(world, world.random.pick(CAST.enrolmentOfficers));
    await world.service.changeBeneficiary.execute(new ChangeBeneficiaryCommand(beneficiaryId, change, context));
    return `${change.type} ${beneficiaryId}`;
  },
};
