/** The guarantees of DESIGN.md ("Invariants") that the checker verifies over the whole log. */
export const INVARIANTS = {
  'one-payment-per-period': 'one payment per beneficiary per programme period',
  'credited-equals-approved': 'credited equals approved unless a deduction is recorded and flagged',
  'budget-within-ceiling': 'reserved budget never exceeds the ceiling',
  'batch-totals': "a batch's count and control sum match its payments",
  'four-eyes': 'no maker approves their own batch; an approver approves once',
  'approval-policy': "a batch needs the approvers its programme's policy in force asks for its total, and gets them",
  'gapless-revisions': "every stream's revisions run 0, 1, 2, … without a gap",
  'declared-periods': "a payment names a period its programme declared, and no other of the beneficiary's overlaps it",
  'no-stranded-payment': 'every payment claimed by a batch is listed by that open batch, or given back',
  'workflows-finish': 'every batch started is created or abandoned in time',
  'budget-matches-approvals':
    'reserved budget is exactly what approved batches hold, less what rejections and returns released',
  'round-complete': 'a round schedules every beneficiary active when it was asked for',
  'projection-agrees': 'the read models equal a fresh fold of the log',
  'store-agrees-with-log': 'the event store and the Merkle log agree, event for event',
  'erased-subjects-hold-no-key': 'every erased beneficiary has no data key left in the key store',
} as const;

export type InvariantName = keyof typeof INVARIANTS;

export interface Violation {
  readonly invariant: InvariantName;
  /** Global position of the event at fault, when one event is. */
  readonly position?: number;
  readonly streamName?: string;
  /** The Merkle log's leaf at fault, when one is. */
  readonly leafIndex?: number;
  readonly eventId?: string;
  readonly message: string;
}
