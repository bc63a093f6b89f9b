import { Body, Controller, Get, HttpCode, Inject, Injectable, Param, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@salur/event-store';
import {
  AuthenticatedActor,
  CurrentActor,
  CurrentContext,
  eventMetadata,
  IsAmountString,
  IsPeriod,
  IsUuidV4OrV5,
  RequestContext,
  Roles,
} from '@salur/http';
import { ruleBroken } from '@salur/kernel';

/** Counts executions per route and lets a test hold a handler open until it says so. */
@Injectable()
export class ExecutionLog {
  readonly counts = new Map<string, number>();
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  private entered: Promise<void> = Promise.resolve();
  private signalEntered: () => void = () => undefined;

  count(route: string): number {
    return this.counts.get(route) ?? 0;
  }

  record(route: string): number {
    const count = this.count(route) + 1;
    this.counts.set(route, count);
    return count;
  }

  /** Holds the next gated handler until release(); returns a promise of its entry. */
  closeGate(): Promise<void> {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
    this.entered = new Promise((resolve) => (this.signalEntered = resolve));
    return this.entered;
  }

  release(): void {
    this.openGate();
  }

  async passGate(): Promise<void> {
    this.signalEntered();
    await this.gate;
  }
}

export class BankAccountDto {
  @ApiProperty({ example: '002' })
  @IsString()
  @MaxLength(10)
  bankCode!: string;
}

export class PayDto {
  @ApiProperty({ description: 'What the beneficiary receives' })
  @IsAmountString({ positive: true })
  amount!: string;

  @IsPeriod()
  period!: string;

  @IsUuidV4OrV5()
  beneficiaryId!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => BankAccountDto)
  account?: BankAccountDto;
}

export interface PayAnswer {
  readonly paymentId: string;
  readonly execution: number;
  readonly amount: string;
}

/** Stands in for the command and query controllers of the capabilities. */
@Controller('test-commands')
export class TestCommandsController {
  constructor(
    private readonly log: ExecutionLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Appends one event through the port, as a real command handler does. */
  @Post('pay')
  @Roles('finance-officer')
  async pay(@Body() body: PayDto, @CurrentContext() context: RequestContext): Promise<PayAnswer> {
    const execution = this.log.record('pay');
    const paymentId = randomUUID();
    await this.store.append(
      `testpayment-${paymentId}`,
      [
        {
          id: randomUUID(),
          type: 'TestPaymentScheduled',
          data: { amount: body.amount },
          metadata: eventMetadata(context),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return { paymentId, execution, amount: body.amount };
  }

  @Post('slow')
  @Roles('finance-officer')
  async slow(): Promise<{ execution: number }> {
    await this.log.passGate();
    return { execution: this.log.record('slow') };
  }

  @Post('rule')
  @Roles('finance-officer')
  rule(): never {
    this.log.record('rule');
    throw ruleBroken('BUDGET_EXCEEDED', 'The batch would exceed the programme budget', 'batchId');
  }

  @Post('crash')
  @Roles('finance-officer')
  crash(): never {
    this.log.record('crash');
    throw new Error('connection string postgres://secret@db leaked?');
  }

  @Post('race-lost')
  @Roles('finance-officer')
  raceLost(): never {
    this.log.record('race-lost');
    throw new WrongExpectedRevisionError('batch-1', 3, 4);
  }

  @Post('accept')
  @HttpCode(202)
  @Roles('finance-officer', 'admin')
  accept(): void {
    this.log.record('accept');
  }

  @Get('whoami')
  @Roles('inspector', 'finance-officer')
  whoami(@CurrentActor() actor: AuthenticatedActor, @CurrentContext() context: RequestContext) {
    return { actor, context };
  }

  @Get('items/:id')
  @Roles('inspector')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  /** Forgot @Roles: must be closed to everyone. */
  @Post('forgotten')
  forgotten(): { executed: true } {
    this.log.record('forgotten');
    return { executed: true };
  }
}
