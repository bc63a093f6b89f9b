import { loadStream } from '@salur/application';
import { type ApprovalPolicy, formatAmount } from '@salur/kernel';
import { CreateProgrammeCommand, RaiseBudgetCeilingCommand } from '@salur/programmes';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { openRound } from './service-jobs';
import type { UserAction } from './user-action';
import { CAST, contextOf, originOf, type World } from './world';

/** Programmes a run creates: enough for rounds to interleave, few enough for each to fill up. */
const MAX_PROGRAMMES = 3;
const BENEFIT_AMOUNTS = ['300000.00', '600000.00', '1250000.00'] as const;
/** Ceilings in benefits: a tight one makes approvals meet the budget's limit. */
const CEILING_IN_BENEFITS = [8, 30, 200] as const;
/** The programmes' fiscal year: monthly periods 2026-01 to 2026-12. */
const FISCAL_YEAR = 2026;
/** Months in a fiscal year. */
const MONTHS = 12;
const TWO_TIER_POLICY: ApprovalPolicy = {
  tiers: [
    { upTo: '2000000.00', approvers: 1 },
    { upTo: null, approvers: 2 },
  ],
};

export const createProgramme: UserAction = {
  name: 'create programme',
  weight: 2,
  async run(world) {
    const count = world.directory.programmes.length;
    if (count >= MAX_PROGRAMMES) return undefined;
    const benefitAmount = world.random.pick(BENEFIT_AMOUNTS);
    const budgetCeiling = (Number(benefitAmount.slice(0, -3)) * world.random.pick(CEILING_IN_BENEFITS)).toFixed(2);
    const input = {
      code: `SIM${String.fromCharCode(65 + count)}`,
      name: `Simulated programme ${count + 1}`,
      fiscalYear: FISCAL_YEAR,
      budgetCeiling,
      benefitAmount,
      currency: 'IDR',
      schedule: { kind: 'monthly' },
      ...(world.random.chance(0.5) ? { approvalPolicy: TWO_TIER_POLICY } : {}),
    };
    const context = contextOf(world, world.random.pick(CAST.programmeOfficers));
    const receipt = await world.service.createProgramme.execute(new CreateProgrammeCommand(input, context));
    return `created ${receipt.id} (ceiling ${budgetCeiling}, benefit ${benefitAmount})`;
  },
};

/** A month up to the next one (as the simulated clock reads), so earlier rounds are opened again too. */
function periodToOpen(world: World): string {
  const now = new Date(world.clock.now());
  const monthsIn = (now.getUTCFullYear() - FISCAL_YEAR) * MONTHS + now.getUTCMonth() + 1;
  const month = world.random.between(1, Math.max(1, Math.min(MONTHS, monthsIn + 1)));
  return `${FISCAL_YEAR}-${String(month).padStart(2, '0')}`;
}

/** A programme whose budget ran short gets more (its approvals were refused BUDGET_EXCEEDED). */
export const raiseBudgetCeiling: UserAction = {
  name: 'raise budget ceiling',
  weight: 1,
  async run(world) {
    if (world.directory.programmes.length === 0) return undefined;
    const programmeId = world.random.pick(world.directory.programmes);
    const { state } = await loadStream(world.store, programmeStreamName(programmeId), programmeDecider);
    if (state.status === 'absent') return undefined;
    const newCeiling = formatAmount(state.budgetCeiling.plus(state.benefitAmount.times(world.random.between(5, 20))));
    const context = contextOf(world, world.random.pick(CAST.programmeOfficers));
    await world.service.raiseBudgetCeiling.execute(
      new RaiseBudgetCeilingCommand(programmeId, { newCeiling, reason: 'supplementary budget decree' }, context),
    );
    return `raised the ceiling of ${programmeId} to ${newCeiling}`;
  },
};

export const openRoundAction: UserAction = {
  name: 'open round',
  weight: 2,
  async run(world) {
    if (world.directory.programmes.length === 0) return undefined;
    const round = { programmeId: world.random.pick(world.directory.programmes), period: periodToOpen(world) };
    const result = await openRound(world, round, originOf(world, world.random.pick(CAST.programmeOfficers)));
    return `opened ${round.programmeId} ${round.period}: ${JSON.stringify(result)}`;
  },
};
