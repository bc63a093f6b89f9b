/**
 * A programme period's format: `2026-11` (a month), `2026-Q4` (a quarter) or `2026-ONE` (a
 * one-off named period, letters only so it never reads as a month or a quarter). One pattern for
 * the HTTP edge and the programmes domain; whether a programme pays a period is its schedule's
 * to say.
 */
export const PERIOD_PATTERN = /^[1-9][0-9]{3}-(0[1-9]|1[0-2]|Q[1-4]|[A-Z]{3,16})$/;
