import type { World } from './world';

/**
 * One thing a user (or the bank) may do in a step. `run` answers what it did, or undefined when
 * there was nothing for it to act on; a refusal by the ledger is thrown as the DomainError it is.
 */
export interface UserAction {
  readonly name: string;
  readonly weight: number;
  run(world: World): Promise<string | undefined>;
}
