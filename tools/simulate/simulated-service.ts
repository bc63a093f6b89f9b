import { ledgerConfigFrom, type LedgerConfig } from '@salur/application';
import { bankIntegrationConfigFrom, BankFileWriter, BankResultsIngestion } from '@salur/bank-integration';
import { BankOutcomePass, BatchSubmission, BatchWorkflows } from '@salur/batches';
import type { EventStore } from '@salur/event-store';
import { PaymentReissue, RoundOpener } from '@salur/payments';
import {
  ApproveBatchHandler,
  CloseBatchHandler,
  CreateBatchHandler,
  RemovePaymentsFromBatchHandler,
} from '../../libs/batches/src/application/batch.handlers';
import {
  ChangeBeneficiaryHandler,
  EnrolBeneficiaryHandler,
} from '../../libs/beneficiaries/src/application/beneficiary.handlers';
import {
  ApproveReversalHandler,
  ConfirmOutcomeDecisionHandler,
  RequestOutcomeDecisionHandler,
  RequestReversalHandler,
} from '../../libs/payments/src/application/payment.handlers';
import {
  CreateProgrammeHandler,
  RaiseBudgetCeilingHandler,
} from '../../libs/programmes/src/application/programme.handlers';

/** The settings the simulated service runs with: the service's defaults, passes driven by the simulation. */
export const SIMULATION_LEDGER_CONFIG: LedgerConfig = ledgerConfigFrom({
  BENEFICIARY_ID_KEY: 'simulation-beneficiary-id-key-0123456789abcdef',
  WORKFLOW_INTERVAL: '0',
  BANK_OUTCOME_PASS_INTERVAL: '0',
});

/**
 * One process of the service: the real handlers and workflows, wired by hand as Nest would wire
 * them (no HTTP, no Redis), over the store. A restart is a new instance over the same store and
 * bank-file directory: whatever the old one held in memory (the workflows' place in the log,
 * the outcome pass's watch) is gone, as it would be after a crash.
 */
export class SimulatedService {
  readonly config = SIMULATION_LEDGER_CONFIG;
  readonly workflows: BatchWorkflows;
  readonly createProgramme: CreateProgrammeHandler;
  readonly raiseBudgetCeiling: RaiseBudgetCeilingHandler;
  readonly enrol: EnrolBeneficiaryHandler;
  readonly changeBeneficiary: ChangeBeneficiaryHandler;
  readonly roundOpener: RoundOpener;
  readonly createBatch: CreateBatchHandler;
  readonly approveBatch: ApproveBatchHandler;
  readonly removePayments: RemovePaymentsFromBatchHandler;
  readonly closeBatch: CloseBatchHandler;
  readonly outcomePass: BankOutcomePass;
  readonly submission: BatchSubmission;
  readonly fileWriter: BankFileWriter;
  readonly ingestion: BankResultsIngestion;
  readonly reissue: PaymentReissue;
  readonly requestReversal: RequestReversalHandler;
  readonly approveReversal: ApproveReversalHandler;
  readonly requestOutcomeDecision: RequestOutcomeDecisionHandler;
  readonly confirmOutcomeDecision: ConfirmOutcomeDecisionHandler;

  constructor(store: EventStore, bankFilesDir: string) {
    const bank = bankIntegrationConfigFrom({ BANK_FILES_DIR: bankFilesDir });
    this.workflows = new BatchWorkflows(store, this.config);
    this.createProgramme = new CreateProgrammeHandler(store, this.config);
    this.raiseBudgetCeiling = new RaiseBudgetCeilingHandler(store);
    this.enrol = new EnrolBeneficiaryHandler(store, this.config);
    this.changeBeneficiary = new ChangeBeneficiaryHandler(store);
    this.roundOpener = new RoundOpener(store);
    this.createBatch = new CreateBatchHandler(store, this.config, this.workflows);
    this.approveBatch = new ApproveBatchHandler(store);
    this.removePayments = new RemovePaymentsFromBatchHandler(store, this.config, this.workflows);
    this.closeBatch = new CloseBatchHandler(store, this.workflows);
    this.outcomePass = new BankOutcomePass(store, this.config, this.closeBatch);
    this.submission = new BatchSubmission(store);
    this.fileWriter = new BankFileWriter(store, bank);
    this.ingestion = new BankResultsIngestion(store, bank);
    this.reissue = new PaymentReissue(store);
    this.requestReversal = new RequestReversalHandler(store);
    this.approveReversal = new ApproveReversalHandler(store);
    this.requestOutcomeDecision = new RequestOutcomeDecisionHandler(store);
    this.confirmOutcomeDecision = new ConfirmOutcomeDecisionHandler(store);
  }
}
