import { Metrics } from './metrics';

describe('Metrics (the service registry)', () => {
  it('labels every sample with the service and answers the same metric for the same name', async () => {
    const metrics = new Metrics('webhook-ingress', { defaultMetrics: false });
    const a = metrics.counter('incident_sync_things_total', 'things', ['kind']);
    expect(metrics.counter('incident_sync_things_total', 'things', ['kind'])).toBe(a);
    a.inc({ kind: 'x' });
    const { body, contentType } = await metrics.scrape();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('incident_sync_things_total{kind="x",service="webhook-ingress"} 1');
    expect(() => metrics.gauge('incident_sync_things_total', 'clash')).toThrow(/another type/);
  });

  it('collects the process metrics with the product prefix', async () => {
    const { body } = await new Metrics('gateway').scrape();
    expect(body).toContain('incident_sync_process_cpu_user_seconds_total');
    expect(body).toContain('incident_sync_nodejs_heap_size_used_bytes');
  });

  it('reads gauges at scrape; a failing or slow reading drops only that gauge and is counted', async () => {
    const metrics = new Metrics('sync-engine', { defaultMetrics: false, readTimeoutMs: 50 });
    let fail = false;
    metrics.gaugeReadAtScrape('incident_sync_open_conflicts', 'open', [], async () => {
      if (fail) throw new Error('database down');
      return 3;
    });
    metrics.gaugeReadAtScrape('incident_sync_queued_things', 'queued', ['state'], async () => [{ labels: { state: 'pending' }, value: 2 }]);
    metrics.gaugeReadAtScrape('incident_sync_slow_things', 'slow', [], () => new Promise<number>((resolve) => setTimeout(() => resolve(1), 1000)));

    let body = (await metrics.scrape()).body;
    expect(body).toContain('incident_sync_open_conflicts{service="sync-engine"} 3');
    expect(body).toContain('incident_sync_queued_things{state="pending",service="sync-engine"} 2');
    expect(body).toMatch(/^incident_sync_slow_things\{service="sync-engine"\} NaN$/im); // prom-client writes "Nan"; Prometheus reads any case

    fail = true;
    body = (await metrics.scrape()).body;
    expect(body).toMatch(/^incident_sync_open_conflicts\{service="sync-engine"\} NaN$/im);
    expect(body).toContain('incident_sync_queued_things{state="pending",service="sync-engine"} 2');
    // Counted during a scrape, so shown from the next one (the third scrape's own failures are not in it yet).
    body = (await metrics.scrape()).body;
    expect(body).toContain('incident_sync_metric_read_failures_total{metric="incident_sync_slow_things",service="sync-engine"} 2');
    expect(body).toContain('incident_sync_metric_read_failures_total{metric="incident_sync_open_conflicts",service="sync-engine"} 1');
  });

  it('a labelled gauge whose reading fails has no samples in that scrape', async () => {
    const metrics = new Metrics('dlq-manager', { defaultMetrics: false });
    metrics.gaugeReadAtScrape('incident_sync_dlq_pending_messages', 'pending', ['topic'], async () => {
      throw new Error('database down');
    });
    const { body } = await metrics.scrape();
    expect(body).not.toMatch(/^incident_sync_dlq_pending_messages\{/m);
  });
});
