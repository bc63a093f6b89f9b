export const ROLES = [
  'enrolment-officer',
  'programme-officer',
  'finance-officer',
  'bank-integration',
  'inspector',
  'admin',
  // Scrapes /metrics and nothing else (Prometheus's credentials): no ledger data, no personal data.
  'monitor',
] as const;

export type Role = (typeof ROLES)[number];

/** Who asked: every decision and every event names them. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

/**
 * What every command carries besides its data. The domain never reads a clock or draws a
 * random id: the time and the actor arrive here, ids arrive in the command's data.
 */
export interface CommandContext {
  readonly actor: Actor;
  /** ISO-8601 UTC instant at which the command is decided. */
  readonly now: string;
}
