import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SERVICE_NAME } from '../service-name.token';
import { assertMetricName, METRIC_PREFIX } from './metric-labels';

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC), prefixed `incident_sync_`; default true. */
  defaultMetrics?: boolean;
  /** Longest a scrape-time reading (a COUNT query) may take before it is skipped; default 2000 ms. */
  readTimeoutMs?: number;
}

/** One sample of a gauge read at scrape time. */
export interface GaugeReading<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

/** Default buckets of latency histograms, in seconds: 5 ms … 5 min (sync latency includes queueing and backoff). */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The service's Prometheus registry (prom-client, text format), one per application instance.
 * Every sample carries `service="<name>"`. Metrics are created on first use and shared after
 * that (asking twice for the same name answers the same metric), so a provider can declare its
 * own where it records them. Names follow the conventions checked by assertMetricName.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly readTimeoutMs: number;
  private readonly readFailures: Counter<'metric'>;

  constructor(@Inject(SERVICE_NAME) service: string, @Optional() @Inject(METRICS_OPTIONS) options?: MetricsOptions) {
    this.registry.setDefaultLabels({ service });
    this.readTimeoutMs = options?.readTimeoutMs ?? 2000;
    if (options?.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    this.readFailures = this.counter('incident_sync_metric_read_failures_total', 'Scrape-time readings (e.g. a COUNT query) that failed or timed out; the gauge is left out of that scrape', ['metric']);
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    const existing = this.existing<Counter<L>>(name, Counter);
    if (existing) return existing;
    assertMetricName(name, 'counter');
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    const existing = this.existing<Gauge<L>>(name, Gauge);
    if (existing) return existing;
    assertMetricName(name, 'gauge');
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], buckets: number[] = LATENCY_BUCKETS_SECONDS): Histogram<L> {
    const existing = this.existing<Histogram<L>>(name, Histogram);
    if (existing) return existing;
    assertMetricName(name, 'histogram');
    return new Histogram<L>({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge computed when Prometheus scrapes (e.g. a cheap COUNT query). The reading is
   * bounded by readTimeoutMs; when it fails or times out the gauge has no samples in that
   * scrape (NaN when it has no labels; never a stale or made-up value),
   * `incident_sync_metric_read_failures_total` counts it (visible from the next scrape), and
   * the rest of the scrape is served as usual.
   */
  gaugeReadAtScrape<L extends string = never>(name: string, help: string, labelNames: readonly L[], read: () => Promise<GaugeReading<L>[] | number>): Gauge<L> {
    if (this.registry.getSingleMetric(name)) throw new Error(`metric ${name} is already registered`);
    assertMetricName(name, 'gauge');
    const readFailures = this.readFailures;
    const logger = this.logger;
    const timeoutMs = this.readTimeoutMs;
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect(this: Gauge<L>): Promise<void> {
        this.reset();
        try {
          const readings = await withTimeout(read(), timeoutMs, name);
          if (typeof readings === 'number') this.set(readings);
          else for (const r of readings) this.set((r.labels ?? {}) as Partial<Record<L, string | number>>, r.value);
        } catch (error) {
          this.reset();
          // A gauge without labels always has a sample: NaN says "unknown", never a made-up 0.
          if (labelNames.length === 0) this.set(Number.NaN);
          readFailures.inc({ metric: name });
          logger.warn({ msg: 'a metric could not be read for this scrape', metric: name, err: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  }

  /** The exposition (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<M>(name: string, kind: abstract new (...args: never[]) => unknown): M | undefined {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return undefined;
    if (!(metric instanceof kind)) throw new Error(`metric ${name} is already registered as another type`);
    return metric as M;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
