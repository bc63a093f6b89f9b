import type { BankResultLine, BankResultOutcome } from './bank-result-line';
import { compactId } from './end-to-end-id';
import { OutcomesInFile } from './file-outcomes';

const PAYMENT = '2ed6657d-e927-568b-95e1-2665a8aea6a2';
const OTHER = 'c0a8e1f4-3b2d-4e6f-9a1b-2c3d4e5f6a7b';

let lineNumber = 0;
function line(paymentId: string, outcome: BankResultOutcome, status?: string): BankResultLine {
  return { line: ++lineNumber, endToEndId: compactId(paymentId), outcome, bankReference: 'REF', status };
}

/** Reads the lines as a file, then says for each whether it conflicts and whether it was a duplicate. */
function read(lines: BankResultLine[]) {
  const outcomes = new OutcomesInFile();
  const duplicates = lines.map((each) => outcomes.add(each));
  const conflicts = outcomes.conflicts();
  return {
    duplicates,
    conflicting: lines.map((each) => conflicts.detailOf(each) !== undefined),
    lines: conflicts.lines,
    details: lines.map((each) => conflicts.detailOf(each)),
  };
}

describe('outcomes in one result file', () => {
  it.each([
    ['RJCT then ACSC', [line(PAYMENT, 'rejected', 'RJCT'), line(PAYMENT, 'accepted', 'ACSC')]],
    ['ACSC then RJCT', [line(PAYMENT, 'accepted', 'ACSC'), line(PAYMENT, 'rejected', 'RJCT')]],
    ['RJCT then ACCC', [line(PAYMENT, 'rejected', 'RJCT'), line(PAYMENT, 'accepted', 'ACCC')]],
    ['a rejection and a credit', [line(PAYMENT, 'rejected'), line(PAYMENT, 'credited')]],
    ['a return and a rejection', [line(PAYMENT, 'returned'), line(PAYMENT, 'rejected')]],
  ])('%s for one EndToEndId conflict: both lines', (_, lines) => {
    expect(read(lines)).toMatchObject({ conflicting: [true, true], lines: 2 });
  });

  it('names what the file said, the same for each of its lines', () => {
    const { details } = read([line(PAYMENT, 'rejected', 'RJCT'), line(PAYMENT, 'accepted', 'ACSC')]);
    expect(details[0]).toBe(
      'This file states conflicting outcomes for this payment (rejected and settled (ACSC/ACCC)); ' +
        'none of its lines stating an outcome for this payment was applied',
    );
    expect(details[1]).toBe(details[0]);
  });

  it.each([
    [
      'an acceptance before settlement, then RJCT',
      [line(PAYMENT, 'accepted', 'ACSP'), line(PAYMENT, 'rejected', 'RJCT')],
    ],
    ['ACTC then RJCT', [line(PAYMENT, 'accepted', 'ACTC'), line(PAYMENT, 'rejected', 'RJCT')]],
    ['PDNG then RJCT', [line(PAYMENT, 'pending', 'PDNG'), line(PAYMENT, 'rejected', 'RJCT')]],
    ['a credit then its return', [line(PAYMENT, 'credited'), line(PAYMENT, 'returned')]],
    ['ACSC and a credit', [line(PAYMENT, 'accepted', 'ACSC'), line(PAYMENT, 'credited')]],
    ['RJCT for one payment, ACSC for another', [line(PAYMENT, 'rejected', 'RJCT'), line(OTHER, 'accepted', 'ACSC')]],
  ])('%s do not conflict', (_, lines) => {
    expect(read(lines)).toMatchObject({ conflicting: [false, false], lines: 0 });
  });

  it('leaves lines of a conflicting payment that state nothing final to be acknowledged as usual', () => {
    const lines = [
      line(PAYMENT, 'pending', 'PDNG'),
      line(PAYMENT, 'rejected', 'RJCT'),
      line(PAYMENT, 'accepted', 'ACSC'),
    ];
    expect(read(lines)).toMatchObject({ conflicting: [false, true, true], lines: 2 });
  });

  it('finds a second line with the same outcome a duplicate, and a repeated ACSC not', () => {
    const lines = [
      line(PAYMENT, 'rejected', 'RJCT'),
      line(PAYMENT, 'rejected', 'RJCT'),
      line(OTHER, 'accepted', 'ACSC'),
      line(OTHER, 'accepted', 'ACSC'),
    ];
    expect(read(lines)).toMatchObject({
      duplicates: [false, true, false, false],
      conflicting: [false, false, false, false],
    });
  });

  it('counts every line of a conflict, a duplicated one included', () => {
    const lines = [
      line(PAYMENT, 'rejected', 'RJCT'),
      line(PAYMENT, 'rejected', 'RJCT'),
      line(PAYMENT, 'accepted', 'ACSC'),
    ];
    expect(read(lines)).toMatchObject({ duplicates: [false, true, false], conflicting: [true, true, true], lines: 3 });
  });

  it('ignores lines naming no payment of ours', () => {
    const unknown = { ...line(PAYMENT, 'rejected', 'RJCT'), endToEndId: 'NOT-OURS' };
    expect(read([unknown, { ...unknown, outcome: 'credited' }])).toMatchObject({
      duplicates: [false, false],
      conflicting: [false, false],
    });
  });
});
