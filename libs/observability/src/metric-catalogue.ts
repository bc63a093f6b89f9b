/**
 * Every metric Salur exposes, in one place: the alert rules and the dashboard in deploy/ may name
 * only these (a test checks both against this list and against a live /metrics). Names follow
 * Prometheus conventions: a unit suffix, `_total` for counters. Money gauges are in rupiah as
 * Prometheus floats: exact to the rupiah below 9 × 10^15, and for watching only; the ledger's
 * amounts stay decimal strings everywhere else.
 */
export const METRIC_CATALOGUE = {
  commandDuration: {
    name: 'salur_command_duration_seconds',
    help: 'Commands (HTTP writes) by command and outcome, with their latency',
    labels: ['command', 'outcome'],
  },
  httpResponses: {
    name: 'salur_http_responses_total',
    help: 'HTTP responses by method and status class (2xx, 4xx, 5xx)',
    labels: ['method', 'status_class'],
  },
  appendedEvents: {
    name: 'salur_event_store_appended_events_total',
    help: 'Events this process appended to the event store',
    labels: ['adapter'],
  },
  appendedBytes: {
    name: 'salur_event_store_appended_bytes_total',
    help: 'Bytes of event data and metadata (JSON) this process appended',
    labels: ['adapter'],
  },
  eventStoreHead: {
    name: 'salur_event_store_head_position',
    help: 'Global position of the last event in the log',
    labels: [],
  },
  dependencyUp: {
    name: 'salur_dependency_up',
    help: '1 when the dependency answered its probe, 0 when it is down',
    labels: ['dependency', 'essential'],
  },
  projectionPosition: {
    name: 'salur_projection_position',
    help: 'Global position of the last event the projection applied',
    labels: ['projection'],
  },
  projectionLag: {
    name: 'salur_projection_lag_events',
    help: 'How far the projection is behind the head of the log (events on SQL stores)',
    labels: ['projection'],
  },
  projectionFailures: {
    name: 'salur_projection_failures',
    help: 'Failures of the projection since the process started (each restarts it from its checkpoint)',
    labels: ['projection'],
  },
  projectionFailed: {
    name: 'salur_projection_failed',
    help: '1 while the projection is stopped on a failure or retrying one',
    labels: ['projection'],
  },
  merkleLogSize: {
    name: 'salur_merkle_log_size_leaves',
    help: 'Leaves in the Merkle audit log',
    labels: [],
  },
  merkleLogLag: {
    name: 'salur_merkle_log_lag_events',
    help: 'Events in the event log not yet in the Merkle audit log',
    labels: [],
  },
  checkpointAge: {
    name: 'salur_merkle_checkpoint_age_seconds',
    help: 'Seconds since the last signed checkpoint (absent until the first)',
    labels: [],
  },
  checkpointTreeSize: {
    name: 'salur_merkle_checkpoint_tree_size_leaves',
    help: 'Leaves the last signed checkpoint covers (a checkpoint is signed only when the log grew)',
    labels: [],
  },
  checkpointInterval: {
    name: 'salur_merkle_checkpoint_interval_seconds',
    help: 'The configured interval between signed checkpoints',
    labels: [],
  },
  jobs: {
    name: 'salur_jobs',
    help: 'Jobs by queue and state (waiting, active, delayed, completed, failed)',
    labels: ['queue', 'state'],
  },
  roundsOpen: {
    name: 'salur_rounds_open',
    help: 'Rounds with payments not yet settled (credited, reissued or reversed)',
    labels: [],
  },
  roundPayments: {
    name: 'salur_round_payments',
    help: "A round's payments by stage",
    labels: ['round', 'programme', 'period', 'stage'],
  },
  roundOutstanding: {
    name: 'salur_round_outstanding_payments',
    help: "A round's payments not yet settled",
    labels: ['round', 'programme', 'period'],
  },
  roundIdle: {
    name: 'salur_round_idle_seconds',
    help: 'Seconds since an open round last moved',
    labels: ['round', 'programme', 'period'],
  },
  bankExceptionsOpen: {
    name: 'salur_bank_exceptions_open',
    help: 'Reconciliation exceptions not yet resolved',
    labels: [],
  },
  bankExceptionOldestAge: {
    name: 'salur_bank_exception_oldest_open_age_seconds',
    help: 'Age of the oldest unresolved reconciliation exception (0 when none)',
    labels: [],
  },
  budgetCeiling: {
    name: 'salur_programme_budget_ceiling_rupiah',
    help: "A programme's budget ceiling",
    labels: ['programme', 'fiscal_year'],
  },
  budgetCommitted: {
    name: 'salur_programme_budget_committed_rupiah',
    help: "A programme's budget reserved or paid out (ceiling minus remaining)",
    labels: ['programme', 'fiscal_year'],
  },
  metricsReadFailures: {
    name: 'salur_metrics_read_failures_total',
    help: 'Scrapes in which a group of gauges could not be read (their series are absent from that scrape)',
    labels: ['group'],
  },
  budgetUsed: {
    name: 'salur_programme_budget_used_ratio',
    help: 'Committed budget over the ceiling, from 0 to 1',
    labels: ['programme', 'fiscal_year'],
  },
} as const satisfies Record<string, MetricDescription>;

export interface MetricDescription {
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
}

export type MetricKey = keyof typeof METRIC_CATALOGUE;

/** Process metrics (CPU, memory, event loop) from prom-client's defaults, under this prefix. */
export const PROCESS_METRICS_PREFIX = 'salur_';
