import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRIC_CATALOGUE, type MetricKey, PROCESS_METRICS_PREFIX } from './metric-catalogue';

export type Labels = Readonly<Record<string, string>>;

/** What a gauge reader writes into: one value per label set, read fresh at every scrape. */
export interface GaugeWriter {
  set(key: MetricKey, labels: Labels, value: number): void;
}

interface GaugeReader {
  readonly group: string;
  readonly keys: readonly MetricKey[];
  readonly read: (gauges: GaugeWriter) => Promise<void>;
}

/** A scrape waits this long for a reader (a read model query, Redis) before leaving its series out. */
const READ_TIMEOUT_MS = 3_000;

/**
 * The metrics of one application, in a registry of its own (never prom-client's global one: tests
 * run several applications in one process). Counters and histograms are written as things happen;
 * gauges that describe state (projection lag, open rounds, budget) are read when scraped, each group
 * by the module that owns the state, so the numbers are never stale and nothing polls in between.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<MetricKey, Counter>();
  private readonly histograms = new Map<MetricKey, Histogram>();
  private readonly gauges = new Map<MetricKey, Gauge>();
  private readonly readers: GaugeReader[] = [];
  private scraping: Promise<string> | undefined;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: PROCESS_METRICS_PREFIX });
  }

  counter(key: MetricKey): Counter {
    return this.family(
      this.counters,
      key,
      (description) => new Counter({ ...description, registers: [this.registry] }),
    );
  }

  /** Latency histograms in seconds, with buckets from 5 ms (a cached read) to 30 s (a round). */
  histogram(key: MetricKey): Histogram {
    return this.family(
      this.histograms,
      key,
      (description) =>
        new Histogram({
          ...description,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [this.registry],
        }),
    );
  }

  /**
   * Registers the module that owns some state as the reader of its gauges. At each scrape the
   * gauges are cleared and read again, so a closed round or a resolved exception disappears; a
   * reader that fails or is slow leaves its series out and counts a read failure.
   */
  readGauges(group: string, keys: readonly MetricKey[], read: (gauges: GaugeWriter) => Promise<void>): void {
    for (const key of keys) this.gauge(key);
    this.counter('metricsReadFailures').inc({ group }, 0);
    this.readers.push({ group, keys, read });
  }

  /** The exposition in Prometheus text format; concurrent scrapes share one reading. */
  exposition(): Promise<string> {
    this.scraping ??= this.readAll()
      .then(() => this.registry.metrics())
      .finally(() => (this.scraping = undefined));
    return this.scraping;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async readAll(): Promise<void> {
    await Promise.all(
      this.readers.map(async (reader) => {
        for (const key of reader.keys) this.gauge(key).reset();
        const writer: GaugeWriter = {
          set: (key, labels, value) => {
            if (!reader.keys.includes(key)) throw new Error(`${reader.group} does not read ${key}`);
            this.gauge(key).set(labels, value);
          },
        };
        try {
          await withTimeout(reader.read(writer), READ_TIMEOUT_MS);
        } catch {
          for (const key of reader.keys) this.gauge(key).reset();
          this.counter('metricsReadFailures').inc({ group: reader.group });
        }
      }),
    );
  }

  private gauge(key: MetricKey): Gauge {
    return this.family(this.gauges, key, (description) => new Gauge({ ...description, registers: [this.registry] }));
  }

  private family<Metric>(
    families: Map<MetricKey, Metric>,
    key: MetricKey,
    create: (description: { name: string; help: string; labelNames: string[] }) => Metric,
  ): Metric {
    let metric = families.get(key);
    if (metric === undefined) {
      const { name, help, labels } = METRIC_CATALOGUE[key];
      metric = create({ name, help, labelNames: [...labels] });
      families.set(key, metric);
    }
    return metric;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
