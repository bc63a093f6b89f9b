export * from './bank-account';
export * from './payment-id';
export * from './payment.commands';
export * from './payment.events';
export * from './payment.state';
export * from './payment-outcome';
export * from './reason-codes';
export { paymentDecider } from './payment.decider';
