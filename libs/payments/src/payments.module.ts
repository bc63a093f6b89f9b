import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PAYMENT_HANDLERS } from './application/payment.handlers';
import { PaymentsController } from './http/payments.controller';

@Module({
  imports: [CqrsModule],
  controllers: [PaymentsController],
  providers: [...PAYMENT_HANDLERS],
})
export class PaymentsModule {}
