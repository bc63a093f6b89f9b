import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DependencyChecks } from '@salur/health';
import { Metrics } from '@salur/observability';
import { RAW_EVENT_STORE, type EventStore } from '@salur/event-store';
import { AuditLogConfig, EPHEMERAL_KEY_WARNING } from './audit-log.config';
import { PersonalDataAccessLog, PersonalDataSearchModule } from '@salur/personal-data';
import { AuditController } from './http/audit.controller';
import { AuditTrailController } from './http/audit-trail.controller';
import { migrateAuditLog, openAuditLogDatabase } from './log/audit-log.database';
import { AuditLogFollower, DEFAULT_FOLLOWER_SETTINGS } from './log/audit-log.follower';
import { AUDIT_LOG_DATABASE, type AuditLogDatabase } from './log/audit-log.tables';
import { AuditLogWriter } from './log/audit-log.writer';
import { CheckpointScheduler } from './log/checkpoint.scheduler';
import { CheckpointService } from './log/checkpoint.service';
import { MerkleLogStore } from './log/merkle-log.store';
import { ProofService } from './log/proof.service';
import { auditTrailProjection } from './trail/audit-trail.projection';
import { AuditTrailQueries } from './trail/audit-trail.queries';

export interface AuditLogModuleOptions {
  /** False: another process follows the events into the log (default true). */
  readonly runLog?: boolean;
  /** False: another process signs the checkpoints (default true). */
  readonly runSigner?: boolean;
}

const AUDIT_LOG_CONFIG = Symbol('AUDIT_LOG_CONFIG');
const AUDIT_LOG_OPTIONS = Symbol('AUDIT_LOG_OPTIONS');

/**
 * The verifiable audit log: opens and migrates its tables in the read-model database while the
 * app is created, follows the event store into the Merkle log and signs checkpoints once the
 * app is bootstrapped, stops both before the event store closes, closes its database last.
 * Needs the RAW_EVENT_STORE of EventStoreModule and the HTTP platform (roles) for its controller.
 */
@Module({})
export class AuditLogModule
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('AuditLog');

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    @Inject(AUDIT_LOG_OPTIONS) private readonly options: AuditLogModuleOptions,
    @Inject(AUDIT_LOG_DATABASE) private readonly db: AuditLogDatabase,
    private readonly follower: AuditLogFollower,
    private readonly scheduler: CheckpointScheduler,
    private readonly log: MerkleLogStore,
    private readonly checkpoints: CheckpointService,
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    // Absent where nothing serves /health (the CLI).
    @Optional() private readonly checks?: DependencyChecks,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  static forRoot(config: AuditLogConfig, options: AuditLogModuleOptions = {}): DynamicModule {
    return {
      module: AuditLogModule,
      imports: [PersonalDataSearchModule],
      controllers: [AuditController, AuditTrailController],
      providers: [
        { provide: AUDIT_LOG_CONFIG, useValue: config },
        { provide: AUDIT_LOG_OPTIONS, useValue: options },
        {
          provide: AUDIT_LOG_DATABASE,
          useFactory: async (): Promise<AuditLogDatabase> => {
            const db = openAuditLogDatabase(config.database);
            try {
              await migrateAuditLog(db, config.database.dialect);
            } catch (error) {
              await db.destroy();
              throw error;
            }
            return db;
          },
        },
        {
          provide: MerkleLogStore,
          inject: [AUDIT_LOG_DATABASE],
          useFactory: (db: AuditLogDatabase) => new MerkleLogStore(db),
        },
        {
          provide: AuditLogWriter,
          inject: [MerkleLogStore],
          useFactory: (log: MerkleLogStore) => new AuditLogWriter(log),
        },
        {
          provide: AuditLogFollower,
          // The stored bytes, sealed personal data and all: a leaf is never the clear form.
          inject: [RAW_EVENT_STORE, AuditLogWriter],
          useFactory: (store: EventStore, writer: AuditLogWriter) =>
            new AuditLogFollower(store, writer, DEFAULT_FOLLOWER_SETTINGS, (message) =>
              new Logger('AuditLog').error(message),
            ),
        },
        {
          provide: CheckpointService,
          inject: [MerkleLogStore],
          useFactory: (log: MerkleLogStore) =>
            new CheckpointService(log, { origin: config.origin, key: config.signingKey, witnesses: config.witnesses }),
        },
        {
          provide: CheckpointScheduler,
          inject: [MerkleLogStore, CheckpointService],
          useFactory: (log: MerkleLogStore, checkpoints: CheckpointService) =>
            new CheckpointScheduler(log, checkpoints, config.checkpointIntervalMs, (error) =>
              new Logger('AuditLog').error(
                `Checkpoint not signed: ${error instanceof Error ? error.message : String(error)}`,
              ),
            ),
        },
        {
          provide: ProofService,
          inject: [MerkleLogStore, CheckpointService],
          useFactory: (log: MerkleLogStore, checkpoints: CheckpointService) => new ProofService(log, checkpoints),
        },
        AuditTrailQueries,
        PersonalDataAccessLog,
      ],
      exports: [AUDIT_LOG_DATABASE, MerkleLogStore, AuditLogWriter, AuditLogFollower, CheckpointService, ProofService],
    };
  }

  onModuleInit(): void {
    // Not essential: payments go on without it, and the follower catches up when it is back.
    this.checks?.register({
      name: 'audit-log',
      essential: false,
      probe: async () => {
        const { treeSize } = await this.log.state();
        const { state, lastError } = this.follower.status();
        return { status: 'up', treeSize, follower: state, ...(lastError ? { followerError: lastError } : {}) };
      },
    });
  }

  /** Size, lag behind the event log and the age of the last signed checkpoint (the alerts' inputs). */
  private registerGauges(): void {
    this.metrics?.readGauges(
      'audit-log',
      ['merkleLogSize', 'merkleLogLag', 'checkpointAge', 'checkpointTreeSize', 'checkpointInterval'],
      async (gauges) => {
        const [{ treeSize, position }, head, latest] = await Promise.all([
          this.log.state(),
          this.store.headPosition(),
          this.checkpoints.latest(),
        ]);
        gauges.set('merkleLogSize', {}, treeSize);
        gauges.set('merkleLogLag', {}, Math.max(0, (head ?? -1) - position));
        gauges.set('checkpointInterval', {}, this.config.checkpointIntervalMs / 1_000);
        if (latest !== undefined) {
          gauges.set('checkpointTreeSize', {}, latest.treeSize);
          gauges.set('checkpointAge', {}, Math.max(0, (Date.now() - Date.parse(latest.signedAt)) / 1_000));
        }
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.options.runLog ?? true) this.registerGauges();
    if (this.config.ephemeralKey) this.logger.warn(EPHEMERAL_KEY_WARNING);
    this.logger.log(`Checkpoints of ${this.config.origin} are signed by ${this.config.signingKey.verifier.vkey}`);
    if (this.options.runLog ?? true) this.follower.start();
    if (this.options.runSigner ?? true) this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    await this.follower.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

/** What the audit capability gives the apps to run (the lists: libs/ledger). */
export const AUDIT_PROJECTIONS = [auditTrailProjection];
