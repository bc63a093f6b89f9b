export * from './domain';
export * from './application/payment.messages';
export { PaymentsModule } from './payments.module';
