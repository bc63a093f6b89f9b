import type { CommandContext } from './actor';

/** A request to change one aggregate: what to do, with which data, on whose behalf and when. */
export interface DomainCommand<Type extends string, Data extends object> {
  readonly type: Type;
  readonly data: Readonly<Data>;
  readonly context: CommandContext;
}
