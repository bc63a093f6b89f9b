import type { CommandContext } from '@salur/kernel';

/** A request to change one aggregate: what to do, with which data, on whose behalf and when. */
export interface Command<Type extends string, Data extends object> {
  readonly type: Type;
  readonly data: Readonly<Data>;
  readonly context: CommandContext;
}
