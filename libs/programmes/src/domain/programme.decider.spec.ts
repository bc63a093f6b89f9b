import { specFor } from '@salur/kernel/testing';
import type { CreateProgramme, DeclareProgrammeSchedule, ReleaseBudget, ReserveBudget } from './programme.commands';
import { programmeDecider } from './programme.decider';
import {
  budgetReleased,
  budgetReserved,
  context,
  NOW,
  OFFICER,
  PROGRAMME_ID,
  programmeCreated,
  policyDeclared,
  retentionDeclared,
  scheduleDeclared,
} from './programme.fixtures';

const given = specFor(programmeDecider);

describe('CreateProgramme', () => {
  const create = (overrides: Partial<Record<keyof CreateProgramme['data'], unknown>> = {}): CreateProgramme => ({
    type: 'CreateProgramme',
    data: {
      programmeId: PROGRAMME_ID,
      code: 'BANTU-UMAK',
      name: '  Bantuan Usaha Mikro Anak Muda ',
      fiscalYear: 2026,
      budgetCeiling: '1000000',
      benefitAmount: '600000',
      currency: 'IDR',
      ...overrides,
    } as CreateProgramme['data'],
    context,
  });

  it('creates the programme with a trimmed name and canonical amounts', () => {
    given([])
      .when(create())
      .then([programmeCreated('1000000.00'), scheduleDeclared(), policyDeclared(), retentionDeclared()]);
  });

  it('accepts a benefit equal to the ceiling', () => {
    given([])
      .when(create({ benefitAmount: '1000000.00' }))
      .then([
        { ...programmeCreated(), data: { ...programmeCreated().data, benefitAmount: '1000000.00' } },
        scheduleDeclared(),
        policyDeclared(),
        retentionDeclared(),
      ]);
  });

  it('refuses to create a programme that exists (PROGRAMME_EXISTS)', () => {
    given([programmeCreated()])
      .when(create())
      .thenThrows({ code: 'PROGRAMME_EXISTS', kind: 'conflict', field: 'programmeId' });
  });

  it.each(['bantu-umak', 'B', '1PKH', 'PKH_2', 'P'.repeat(33), 'PKH ', 42])('refuses code %p', (code) => {
    given([])
      .when(create({ code, programmeId: `${String(code)}-2026` }))
      .thenThrows({ code: 'INVALID_PROGRAMME_CODE', kind: 'invalid', field: 'code' });
  });

  it('accepts a two-character code and a 32-character code', () => {
    given([])
      .when(create({ code: 'PK', programmeId: 'PK-2026' }))
      .then([expect.anything(), expect.anything(), expect.anything(), expect.anything()]);
    const longest = `P${'K'.repeat(31)}`;
    given([])
      .when(create({ code: longest, programmeId: `${longest}-2026` }))
      .then([expect.anything(), expect.anything(), expect.anything(), expect.anything()]);
  });

  it.each([1999, 2101, 2026.5, '2026', Number.NaN])('refuses fiscal year %p', (fiscalYear) => {
    given([])
      .when(create({ fiscalYear, programmeId: `BANTU-UMAK-${String(fiscalYear)}` }))
      .thenThrows({ code: 'INVALID_FISCAL_YEAR', kind: 'invalid', field: 'fiscalYear' });
  });

  it.each(['BANTU-UMAK-2027', 'bantu-umak-2026', 'BANTU-UMAK', 'anything'])(
    'refuses programmeId %p that is not code-fiscalYear',
    (programmeId) => {
      given([])
        .when(create({ programmeId }))
        .thenThrows({ code: 'PROGRAMME_ID_MISMATCH', kind: 'invalid', field: 'programmeId' });
    },
  );

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['201 characters', 'a'.repeat(201)],
    ['a control character', 'Bantuan\u0000Umak'],
    ['a line break', 'Bantuan\nUmak'],
    ['not a string', 7],
  ])('refuses a name that is %s', (_, name) => {
    given([]).when(create({ name })).thenThrows({ code: 'INVALID_NAME', kind: 'invalid', field: 'name' });
  });

  it('accepts a 200-character name', () => {
    given([])
      .when(create({ name: 'é'.repeat(200) }))
      .then([
        { ...programmeCreated(), data: { ...programmeCreated().data, name: 'é'.repeat(200) } },
        scheduleDeclared(),
        policyDeclared(),
        retentionDeclared(),
      ]);
  });

  it.each(['USD', 'idr', undefined])('refuses currency %p', (currency) => {
    given([])
      .when(create({ currency }))
      .thenThrows({ code: 'UNSUPPORTED_CURRENCY', kind: 'invalid', field: 'currency' });
  });

  it.each([
    ['budgetCeiling', '0'],
    ['budgetCeiling', 1000000],
    ['benefitAmount', '-600000'],
    ['benefitAmount', '600000.001'],
  ])('refuses %s %p (INVALID_AMOUNT)', (field, value) => {
    given([])
      .when(create({ [field]: value }))
      .thenThrows({ code: 'INVALID_AMOUNT', kind: 'invalid', field });
  });

  it('refuses a benefit above the ceiling (BENEFIT_EXCEEDS_CEILING)', () => {
    given([])
      .when(create({ benefitAmount: '1000000.01' }))
      .thenThrows({ code: 'BENEFIT_EXCEEDS_CEILING', kind: 'rule', field: 'benefitAmount' });
  });
});

describe('the personal-data retention declared with the programme', () => {
  const create = (personalDataRetention: unknown): CreateProgramme => ({
    type: 'CreateProgramme',
    data: {
      programmeId: PROGRAMME_ID,
      code: 'BANTU-UMAK',
      name: 'Bantuan Usaha Mikro Anak Muda',
      fiscalYear: 2026,
      budgetCeiling: '1000000',
      benefitAmount: '600000',
      currency: 'IDR',
      personalDataRetention,
    },
    context,
  });
  const created = (retention: string) => [
    programmeCreated(),
    scheduleDeclared(),
    policyDeclared(),
    retentionDeclared(retention),
  ];

  it.each([
    ['P10Y when none is asked for', undefined, 'P10Y'],
    ['P0D (no legal retention)', 'P0D', 'P0D'],
    ['P5Y', 'P5Y', 'P5Y'],
    ['weeks as days, zero parts dropped', 'P0Y6M2W1D', 'P6M15D'],
    ['the bound itself', 'P30Y', 'P30Y'],
    ['all zero as P0D', 'P0Y', 'P0D'],
  ])('declares %s', (_, asked, recorded) => {
    given([]).when(create(asked)).then(created(recorded));
  });

  it.each([
    ['past the bound', 'P30Y1D'],
    ['far past the bound', 'P361M'],
    ['hours', 'PT24H'],
    ['an empty duration', 'P'],
    ['lower case', 'p5y'],
    ['a negative part', 'P-1Y'],
    ['a number', 5],
  ])('refuses a retention %s (INVALID_RETENTION)', (_, personalDataRetention) => {
    given([])
      .when(create(personalDataRetention))
      .thenThrows({ code: 'INVALID_RETENTION', kind: 'invalid', field: 'personalDataRetention' });
  });
});

describe('the schedule declared with the programme', () => {
  const create = (schedule: unknown): CreateProgramme => ({
    type: 'CreateProgramme',
    data: {
      programmeId: PROGRAMME_ID,
      code: 'BANTU-UMAK',
      name: 'Bantuan Usaha Mikro Anak Muda',
      fiscalYear: 2026,
      budgetCeiling: '1000000',
      benefitAmount: '600000',
      currency: 'IDR',
      schedule,
    },
    context,
  });

  it.each([
    ['monthly', { kind: 'monthly' }, scheduleDeclared('monthly')],
    ['quarterly', { kind: 'quarterly' }, scheduleDeclared('quarterly')],
    ['one-off, named ONE by default', { kind: 'one-off' }, scheduleDeclared('one-off')],
    ['one-off with its own name', { kind: 'one-off', name: 'LEBARAN' }, scheduleDeclared('one-off', 'LEBARAN')],
  ])('declares a %s schedule inside the fiscal year', (_, schedule, declared) => {
    given([]).when(create(schedule)).then([programmeCreated(), declared, policyDeclared(), retentionDeclared()]);
  });

  it('names every period of a quarterly schedule', () => {
    expect(scheduleDeclared('quarterly').data.periods).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(scheduleDeclared('monthly').data.periods).toHaveLength(12);
    expect(scheduleDeclared('monthly').data.periods[11]).toBe('2026-12');
  });

  it.each([
    ['an unknown kind', { kind: 'weekly' }],
    ['no kind', {}],
    ['not an object', 'monthly'],
    ['a name on a monthly schedule', { kind: 'monthly', name: 'ONE' }],
    ['a lower-case one-off name', { kind: 'one-off', name: 'one' }],
    ['a one-off name that reads as a quarter', { kind: 'one-off', name: 'Q4' }],
    ['a one-off name with digits', { kind: 'one-off', name: 'ROUND2' }],
  ])('refuses %s (INVALID_SCHEDULE)', (_, schedule) => {
    given([]).when(create(schedule)).thenThrows({ code: 'INVALID_SCHEDULE', kind: 'invalid', field: 'schedule' });
  });
});

describe('DeclareProgrammeSchedule', () => {
  const declare = (schedule: unknown, usedPeriods: string[] = []): DeclareProgrammeSchedule => ({
    type: 'DeclareProgrammeSchedule',
    data: { programmeId: PROGRAMME_ID, schedule, usedPeriods },
    context,
  });

  it('lets a programme created before schedules declare one', () => {
    given([programmeCreated()])
      .when(declare({ kind: 'quarterly' }))
      .then([scheduleDeclared('quarterly')]);
  });

  it('keeps the periods its payments already name', () => {
    given([programmeCreated()])
      .when(declare({ kind: 'monthly' }, ['2026-11', '2026-12']))
      .then([scheduleDeclared('monthly')]);
  });

  it('refuses a schedule that drops a period already paid (SCHEDULE_DROPS_USED_PERIOD)', () => {
    given([programmeCreated()])
      .when(declare({ kind: 'quarterly' }, ['2026-Q4', '2026-11']))
      .thenThrows({ code: 'SCHEDULE_DROPS_USED_PERIOD', kind: 'rule', field: 'schedule' });
  });

  it('does nothing when the same schedule is declared again', () => {
    given([programmeCreated(), scheduleDeclared('monthly')])
      .when(declare({ kind: 'monthly' }))
      .thenNothingHappens();
  });

  it('refuses another schedule once one is declared: a programme has one kind (SCHEDULE_ALREADY_DECLARED)', () => {
    given([programmeCreated(), scheduleDeclared('monthly')])
      .when(declare({ kind: 'quarterly' }))
      .thenThrows({ code: 'SCHEDULE_ALREADY_DECLARED', kind: 'conflict', field: 'schedule' });
  });

  it('refuses a missing schedule and a missing programme', () => {
    given([programmeCreated()]).when(declare(undefined)).thenThrows({ code: 'INVALID_SCHEDULE', field: 'schedule' });
    given([])
      .when(declare({ kind: 'monthly' }))
      .thenThrows({ code: 'PROGRAMME_NOT_FOUND', kind: 'not-found' });
  });
});

describe('RaiseBudgetCeiling', () => {
  const raise = (newCeiling: string, reason = 'APBD-P 2026 amendment') => ({
    type: 'RaiseBudgetCeiling' as const,
    data: { programmeId: PROGRAMME_ID, newCeiling, reason },
    context,
  });

  it('raises the ceiling, naming the previous one and the new headroom', () => {
    given([programmeCreated('1000000.00'), budgetReserved('r1', '600000.00', '400000.00')])
      .when(raise('1500000'))
      .then([
        {
          type: 'BudgetCeilingRaised',
          data: {
            programmeId: PROGRAMME_ID,
            previousCeiling: '1000000.00',
            newCeiling: '1500000.00',
            reason: 'APBD-P 2026 amendment',
            remainingBudget: '900000.00',
            raisedBy: OFFICER,
            at: NOW,
          },
        },
      ]);
  });

  it.each(['1000000.00', '999999.99'])('refuses a new ceiling of %s that is not above 1000000.00', (newCeiling) => {
    given([programmeCreated('1000000.00')])
      .when(raise(newCeiling))
      .thenThrows({ code: 'CEILING_NOT_RAISED', kind: 'rule', field: 'newCeiling' });
  });

  it('refuses a missing programme (PROGRAMME_NOT_FOUND)', () => {
    given([]).when(raise('2000000')).thenThrows({ code: 'PROGRAMME_NOT_FOUND', kind: 'not-found' });
  });

  it('refuses a blank reason', () => {
    given([programmeCreated()])
      .when(raise('2000000', ' '))
      .thenThrows({ code: 'INVALID_REASON', kind: 'invalid', field: 'reason' });
  });

  it('refuses an amount that is not money', () => {
    given([programmeCreated()])
      .when(raise('2e6'))
      .thenThrows({ code: 'INVALID_AMOUNT', kind: 'invalid', field: 'newCeiling' });
  });
});

describe('ReserveBudget', () => {
  const reserve = (reservationId: string, amount: unknown, batchId = `batch-of-${reservationId}`): ReserveBudget => ({
    type: 'ReserveBudget',
    data: { programmeId: PROGRAMME_ID, reservationId, amount: amount as string, batchId },
    context,
  });

  it('reserves against the ceiling and states what remains', () => {
    given([programmeCreated('1000000.00')])
      .when(reserve('r1', '600000'))
      .then([budgetReserved('r1', '600000.00', '400000.00')]);
  });

  it('reserves up to the ceiling exactly', () => {
    given([programmeCreated('1000000.00'), budgetReserved('r1', '600000.00', '400000.00')])
      .when(reserve('r2', '400000.00'))
      .then([budgetReserved('r2', '400000.00', '0.00')]);
  });

  it('refuses one cent above the remaining budget (BUDGET_EXCEEDED), saying what remains', () => {
    const decide = () =>
      programmeDecider.decide(
        reserve('r2', '400000.01'),
        [programmeCreated('1000000.00'), budgetReserved('r1', '600000.00', '400000.00')].reduce(
          programmeDecider.evolve,
          programmeDecider.initialState,
        ),
      );
    expect(decide).toThrow(expect.objectContaining({ code: 'BUDGET_EXCEEDED', kind: 'rule', field: 'amount' }));
    expect(decide).toThrow('400000.00 remains');
  });

  it('counts released budget as available again', () => {
    given([
      programmeCreated('1000000.00'),
      budgetReserved('r1', '1000000.00', '0.00'),
      budgetReleased('rel1', 'r1', '250000.00', '250000.00'),
    ])
      .when(reserve('r2', '250000'))
      .then([budgetReserved('r2', '250000.00', '0.00')]);
  });

  it('does nothing when the same reservation is retried, even with no budget left', () => {
    given([programmeCreated('1000000.00'), budgetReserved('r1', '1000000.00', '0.00')])
      .when(reserve('r1', '1000000'))
      .thenNothingHappens();
  });

  it('does nothing when a reservation released since is retried: an id is used once', () => {
    given([
      programmeCreated('1000000.00'),
      budgetReserved('r1', '600000.00', '400000.00'),
      budgetReleased('rel1', 'r1', '600000.00', '1000000.00'),
    ])
      .when(reserve('r1', '600000.00'))
      .thenNothingHappens();
  });

  it('refuses the same reservation id with another amount (RESERVATION_MISMATCH)', () => {
    given([programmeCreated(), budgetReserved('r1', '600000.00', '400000.00')])
      .when(reserve('r1', '500000.00'))
      .thenThrows({ code: 'RESERVATION_MISMATCH', kind: 'conflict', field: 'amount' });
  });

  it('refuses the same reservation id for another batch (RESERVATION_MISMATCH)', () => {
    given([programmeCreated(), budgetReserved('r1', '600000.00', '400000.00')])
      .when(reserve('r1', '600000.00', 'another-batch'))
      .thenThrows({ code: 'RESERVATION_MISMATCH', kind: 'conflict', field: 'batchId' });
  });

  it('refuses a missing programme (PROGRAMME_NOT_FOUND)', () => {
    given([]).when(reserve('r1', '1')).thenThrows({ code: 'PROGRAMME_NOT_FOUND', kind: 'not-found' });
  });

  it.each(['0', '0.00', 600000])('refuses amount %p', (amount) => {
    given([programmeCreated()])
      .when(reserve('r1', amount))
      .thenThrows({ code: 'INVALID_AMOUNT', kind: 'invalid', field: 'amount' });
  });

  it('refuses a reservation id with spaces', () => {
    given([programmeCreated()])
      .when(reserve('r 1', '1'))
      .thenThrows({ code: 'INVALID_IDENTIFIER', kind: 'invalid', field: 'reservationId' });
  });
});

describe('ReleaseBudget', () => {
  const release = (releaseId: string, reservationId: string, amount: string, reason = 'batch cancelled') =>
    ({
      type: 'ReleaseBudget',
      data: { programmeId: PROGRAMME_ID, releaseId, reservationId, amount, reason },
      context,
    }) satisfies ReleaseBudget;
  const reservedSixHundredThousand = [programmeCreated('1000000.00'), budgetReserved('r1', '600000.00', '400000.00')];

  it('releases part of a reservation, naming its batch', () => {
    given(reservedSixHundredThousand)
      .when(release('rel1', 'r1', '100000'))
      .then([budgetReleased('rel1', 'r1', '100000.00', '500000.00')]);
  });

  it('releases what is still reserved, to the cent', () => {
    given([...reservedSixHundredThousand, budgetReleased('rel1', 'r1', '100000.00', '500000.00')])
      .when(release('rel2', 'r1', '500000.00'))
      .then([budgetReleased('rel2', 'r1', '500000.00', '1000000.00')]);
  });

  it('refuses to release more than is still reserved (RELEASE_EXCEEDS_RESERVATION)', () => {
    given([...reservedSixHundredThousand, budgetReleased('rel1', 'r1', '100000.00', '500000.00')])
      .when(release('rel2', 'r1', '500000.01'))
      .thenThrows({ code: 'RELEASE_EXCEEDS_RESERVATION', kind: 'rule', field: 'amount' });
  });

  it('refuses an unknown reservation (RESERVATION_NOT_FOUND)', () => {
    given(reservedSixHundredThousand)
      .when(release('rel1', 'r9', '1'))
      .thenThrows({ code: 'RESERVATION_NOT_FOUND', kind: 'not-found' });
  });

  it('does nothing when a release is retried, though the same amount again would now be too much', () => {
    given([...reservedSixHundredThousand, budgetReleased('rel1', 'r1', '600000.00', '1000000.00')])
      .when(release('rel1', 'r1', '600000'))
      .thenNothingHappens();
  });

  it('refuses a release id reused for another amount or reservation (RELEASE_MISMATCH)', () => {
    const released = [...reservedSixHundredThousand, budgetReleased('rel1', 'r1', '100000.00', '500000.00')];
    given(released)
      .when(release('rel1', 'r1', '200000'))
      .thenThrows({ code: 'RELEASE_MISMATCH', kind: 'conflict', field: 'releaseId' });
    given([...released, budgetReserved('r2', '1.00', '499999.00')])
      .when(release('rel1', 'r2', '100000'))
      .thenThrows({ code: 'RELEASE_MISMATCH', kind: 'conflict', field: 'releaseId' });
  });

  it('refuses a missing programme (PROGRAMME_NOT_FOUND)', () => {
    given([])
      .when(release('rel1', 'r1', '1'))
      .thenThrows({ code: 'PROGRAMME_NOT_FOUND', kind: 'not-found' });
  });

  it('refuses a release without a reason', () => {
    given(reservedSixHundredThousand)
      .when(release('rel1', 'r1', '1', ''))
      .thenThrows({ code: 'INVALID_REASON', kind: 'invalid', field: 'reason' });
  });

  it('refuses a release without a release id', () => {
    given(reservedSixHundredThousand)
      .when(release('', 'r1', '1'))
      .thenThrows({ code: 'INVALID_IDENTIFIER', kind: 'invalid', field: 'releaseId' });
  });
});

describe('programme stream integrity (bugs, not refusals)', () => {
  it('fails loudly when a stream does not start with ProgrammeCreated', () => {
    expect(() => programmeDecider.evolve(programmeDecider.initialState, budgetReserved('r1', '1.00', '0.00'))).toThrow(
      'BudgetReserved before ProgrammeCreated',
    );
  });

  it("fails loudly when a command is decided on another programme's stream", () => {
    const state = programmeDecider.evolve(programmeDecider.initialState, programmeCreated());
    const command = {
      type: 'ReserveBudget' as const,
      data: { programmeId: 'PKH-2026', reservationId: 'r1', amount: '1', batchId: 'b1' },
      context,
    };
    expect(() => programmeDecider.decide(command, state)).toThrow(expect.not.objectContaining({ name: 'DomainError' }));
  });
});
