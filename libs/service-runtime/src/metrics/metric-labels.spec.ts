import { assertMetricName, metricLabel, secondsBetween, statusClassOf } from './metric-labels';

describe('metric labels and names', () => {
  it('classes HTTP statuses; no answer is "network"', () => {
    expect(statusClassOf(200)).toBe('2xx');
    expect(statusClassOf(201)).toBe('2xx');
    expect(statusClassOf(404)).toBe('4xx');
    expect(statusClassOf(429)).toBe('4xx');
    expect(statusClassOf(503)).toBe('5xx');
    expect(statusClassOf(0)).toBe('network');
    expect(statusClassOf(600)).toBe('network');
    expect(statusClassOf(Number.NaN)).toBe('network');
  });

  it('keeps label values short and plain', () => {
    expect(metricLabel('0b6f3c1e-8a4d-4b8e-9d55-1f2a3b4c5d6e')).toBe('0b6f3c1e-8a4d-4b8e-9d55-1f2a3b4c5d6e');
    expect(metricLabel('/incidents/{id}/notes')).toBe('/incidents/{id}/notes');
    expect(metricLabel('a "quoted"\nvalue')).toBe('a__quoted__value');
    expect(metricLabel('x'.repeat(500))).toHaveLength(64);
    expect(metricLabel('')).toBe('unknown');
    expect(metricLabel(null)).toBe('unknown');
  });

  it('holds every metric name to the conventions', () => {
    expect(() => assertMetricName('incident_sync_webhooks_accepted_total', 'counter')).not.toThrow();
    expect(() => assertMetricName('incident_sync_open_conflicts', 'gauge')).not.toThrow();
    expect(() => assertMetricName('incident_sync_outbound_sync_latency_seconds', 'histogram')).not.toThrow();
    expect(() => assertMetricName('webhooks_total', 'counter')).toThrow(/incident_sync_/);
    expect(() => assertMetricName('incident_sync_Webhooks_total', 'counter')).toThrow(/snake_case/);
    expect(() => assertMetricName('incident_sync_webhooks', 'counter')).toThrow(/_total/);
    expect(() => assertMetricName('incident_sync_queue_total', 'gauge')).toThrow(/counters/);
    expect(() => assertMetricName('incident_sync_latency_ms', 'histogram')).toThrow(/base unit/);
  });

  it('measures seconds between instants, never negative, null when unreadable', () => {
    expect(secondsBetween('2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T00:00:01.500Z'))).toBe(1.5);
    expect(secondsBetween(new Date(5000), 2000)).toBe(0);
    expect(secondsBetween('not a date')).toBeNull();
    expect(secondsBetween(undefined)).toBeNull();
  });
});
