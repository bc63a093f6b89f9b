import { AuditLogConfig, auditLogConfigFrom } from '@salur/audit-log';
import { Environment, readInteger, refuseDevelopmentSecretsInProduction } from '@salur/config';
import { EventStoreConfig, eventStoreConfigFrom } from '@salur/event-store';
import { ReadModelConfig, readModelConfigFrom } from '@salur/database';
import { HttpPlatformConfig, httpPlatformConfigFrom, LoggingConfig, loggingConfigFrom } from '@salur/http';
import { PersonalDataConfig, personalDataConfigFrom } from '@salur/personal-data';
import { QueueConfig, queueConfigFrom } from '@salur/queue';

/** Beside the API's 3000, so both run on one machine without setting PORT. */
export const DEFAULT_PROJECTOR_PORT = 3001;

export interface ProjectorConfig {
  /** Where /health/live, /health/ready and /metrics are served (PORT). */
  readonly port: number;
  readonly eventStore: EventStoreConfig;
  /** Only for /health/ready, which reports Redis as every app does; the projector queues nothing. */
  readonly queue: QueueConfig;
  /** The token check on /metrics (JWT_SECRET). */
  readonly http: HttpPlatformConfig;
  /** Where the read models live (READ_MODEL_*): the same database the API reads. */
  readonly readModel: ReadModelConfig;
  /** The Merkle log's checkpoint key, origin and interval (CHECKPOINT_*, AUDIT_WITNESS_KEYS). */
  readonly auditLog: AuditLogConfig;
  /** The subjects' keys: events reach the projections through the personal-data lens (PERSONAL_DATA_*). */
  readonly personalData: PersonalDataConfig;
  /** JSON logs (LOG_LEVEL). */
  readonly logging: LoggingConfig;
}

/**
 * The projector's secrets that fall back to development keys when unset: refused when unset under
 * NODE_ENV=production. It signs checkpoints, opens sealed events and checks /metrics tokens; it
 * derives no beneficiary ids, so BENEFICIARY_ID_KEY need not be handed to it.
 */
export const PROJECTOR_SECRETS: readonly string[] = [
  'JWT_SECRET',
  'CHECKPOINT_SIGNING_KEY',
  'PERSONAL_DATA_MASTER_KEY',
];

export function projectorConfigFrom(env: Environment): ProjectorConfig {
  refuseDevelopmentSecretsInProduction(env, PROJECTOR_SECRETS);
  const eventStore = eventStoreConfigFrom(env);
  return {
    port: readInteger(env, 'PORT', DEFAULT_PROJECTOR_PORT, { min: 0, max: 65_535 }),
    eventStore,
    queue: queueConfigFrom(env),
    http: httpPlatformConfigFrom(env),
    readModel: readModelConfigFrom(env, eventStore),
    auditLog: auditLogConfigFrom(env),
    personalData: personalDataConfigFrom(env),
    logging: loggingConfigFrom(env),
  };
}
