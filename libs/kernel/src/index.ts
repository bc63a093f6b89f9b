export * from './domain/actor';
export * from './domain/decider';
export * from './domain/deterministic-id';
export * from './domain/domain-error';
export * from './domain/money';
export * from './domain/command';
export * from './domain/text';
