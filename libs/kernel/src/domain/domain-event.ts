/** A fact as the domain states it; the application adds the id and metadata when it appends. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}
