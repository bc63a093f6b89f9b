export * from './programme.budget';
export * from './programme.commands';
export * from './programme.decider';
export * from './programme.events';
export * from './programme.evolve';
export * from './programme.rules';
export * from './programme.schedule';
export * from './programme.state';
