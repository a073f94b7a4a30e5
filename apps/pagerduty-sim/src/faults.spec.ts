import { checkFaultConfig, Faults } from './faults';

describe('fault injection', () => {
  it('validates options and names every problem', () => {
    expect(checkFaultConfig({ rest_error_rate: 0.5, rest_error_status: 503, path: '^/incidents' }).errors).toEqual([]);
    const bad = checkFaultConfig({ rest_error_rate: 2, latency_ms: -1, path: '(', bogus: true, rest_error_status: 200 });
    expect(bad.config).toBeUndefined();
    expect(bad.errors).toHaveLength(5);
  });

  it('errors at the configured rate, only on matching paths and tokens', () => {
    const rolls = [0.1, 0.9];
    const faults = new Faults(() => rolls.shift() ?? 0);
    faults.set({ rest_error_rate: 0.5, rest_error_status: 502, path: '^/incidents', token: 't1' }, 0);
    expect(faults.forRequest('/users', 't1', 0).kind).toBe('none');
    expect(faults.forRequest('/incidents', 't2', 0).kind).toBe('none');
    expect(faults.forRequest('/incidents', 't1', 0)).toEqual({ kind: 'error', status: 502, latencyMs: 0 });
    expect(faults.forRequest('/incidents', 't1', 0).kind).toBe('none');
  });

  it('storms last N seconds or N requests', () => {
    const faults = new Faults();
    faults.set({ storm_seconds: 2 }, 1000);
    expect(faults.forRequest('/x', null, 2999).kind).toBe('storm');
    expect(faults.forRequest('/x', null, 3000).kind).toBe('none');
    faults.set({ storm_requests: 1 }, 0);
    expect(faults.forRequest('/x', null, 0).kind).toBe('storm');
    expect(faults.forRequest('/x', null, 0).kind).toBe('none');
  });

  it('method scopes REST faults: a 400 for PUTs of one incident leaves its reads alone', () => {
    const faults = new Faults(() => 0);
    faults.set({ rest_error_rate: 1, rest_error_status: 400, path: '^/incidents/P1$', method: 'PUT' }, 0);
    expect(faults.forRequest('/incidents/P1', 't', 0, 'PUT')).toEqual({ kind: 'error', status: 400, latencyMs: 0 });
    expect(faults.forRequest('/incidents/P1', 't', 0, 'GET').kind).toBe('none');
    expect(faults.forRequest('/incidents/P2', 't', 0, 'PUT').kind).toBe('none');
    expect(checkFaultConfig({ method: 'FETCH' }).errors).toEqual(['method must be one of GET, POST, PUT, DELETE, PATCH']);
  });

  it('answer delays hold back the answer of processed requests at the configured rate', () => {
    const rolls = [0.2, 0.8];
    const faults = new Faults(() => rolls.shift() ?? 0);
    faults.set({ answer_delay_rate: 0.5, answer_delay_ms: 4000, path: '^/incidents' }, 0);
    expect(faults.forRequest('/incidents/P1', null, 0)).toEqual({ kind: 'none', latencyMs: 0, answerDelayMs: 4000 });
    expect(faults.forRequest('/incidents/P1', null, 0)).toEqual({ kind: 'none', latencyMs: 0, answerDelayMs: 0 });
    expect(faults.forRequest('/users', null, 0)).toEqual({ kind: 'none', latencyMs: 0, answerDelayMs: 0 });
    expect(checkFaultConfig({ answer_delay_rate: 1.5, answer_delay_ms: 1.5 }).errors).toHaveLength(2);
  });

  it('webhook faults roll independently', () => {
    const faults = new Faults(() => 0);
    faults.set({ webhook_drop_rate: 1, webhook_duplicate_rate: 0, webhook_delay_rate: 1, webhook_delay_ms: 300 }, 0);
    expect(faults.forDelivery('http://x')).toEqual({ drop: true, duplicate: false, delayMs: 300 });
    faults.clear();
    expect(faults.forDelivery('http://x')).toEqual({ drop: false, duplicate: false, delayMs: 0 });
  });
});
