export * from './domain/bank-account';
export * from './domain/payment-id';
export * from './domain/payment.commands';
export * from './domain/payment.events';
export * from './domain/payment.state';
export { paymentDecider } from './domain/payment.decide';
