import type { Amount } from '@salur/kernel';
import type { ActiveProgramme, Reservation } from './programme.state';

export interface Budget {
  readonly ceiling: Amount;
  /** Everything ever reserved, including what was later released. */
  readonly reserved: Amount;
  readonly released: Amount;
  /** ceiling − (reserved − released): what a new reservation may still take. */
  readonly remaining: Amount;
}

/** The programme's budget figures, for decisions here and for read models later. */
export function budgetOf(programme: ActiveProgramme): Budget {
  const open = programme.totalReserved.minus(programme.totalReleased);
  return {
    ceiling: programme.budgetCeiling,
    reserved: programme.totalReserved,
    released: programme.totalReleased,
    remaining: programme.budgetCeiling.minus(open),
  };
}

export function reservationOf(programme: ActiveProgramme, reservationId: string): Reservation | undefined {
  return programme.reservations.get(reservationId);
}

/** What is still held under a reservation: the most a release may give back. */
export function stillReserved(reservation: Reservation): Amount {
  return reservation.amount.minus(reservation.released);
}
