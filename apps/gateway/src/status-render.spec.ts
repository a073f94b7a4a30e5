import type { IntegrationStatus, StatusData, SyncStatusFigures } from './status-data';
import { healthOf } from './status-health';
import { decisionsByIncident, esc, latencyChart, renderSignIn, renderStatusPage } from './status-render';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>'\``;

const sync = (over: Partial<SyncStatusFigures> = {}): SyncStatusFigures => ({
  enabled: true, outbound_queue_depth: 0, tokens_available: 120, rate_limit_per_minute: 120, last_success_at: '2026-12-03T10:00:00.000Z', last_error: null,
  rate_limited_429_count: 0, outbound_lag_seconds: 0, inbound_lag_seconds: 0.1, last_webhook_received_at: null, open_conflicts: 0, parked_messages: 0,
  unknown_user_count: 0, dlq_size: 0, sources: { outbound_dispatcher: 'ok', webhook_ingress: 'ok', dlq_manager: 'ok' }, ...over,
});

const integration = (over: Partial<IntegrationStatus> = {}): IntegrationStatus => ({
  id: 'int-1', slug: 'prod-pd', name: 'Production', sync_direction: 'bidirectional', enabled: true, sync: sync(), activity: { decisions: [], settled_writes: [] }, ...over,
});

const data = (integrations: IntegrationStatus[], over: Partial<StatusData> = {}): StatusData => ({
  organizationId: 'acme', generatedAt: '2026-12-03T10:00:00.000Z', integrations, integrationCount: integrations.length, deadLetters: { total: 0, items: [] }, titles: {}, ...over,
});

describe('status page rendering', () => {
  it('escapes every markup character, in text and attributes alike', () => {
    expect(esc(HOSTILE)).not.toMatch(/[<>"'`]/);
    expect(esc('a & b')).toBe('a &#38; b');
    expect(esc(null)).toBe('');
  });

  it('given tenant-chosen names, titles, ids, error texts and dead letters, when rendered, then none of them becomes markup', () => {
    const hostile = integration({
      id: HOSTILE, slug: HOSTILE, name: HOSTILE, sync_direction: HOSTILE,
      sync: sync({ last_error: { at: '2026-12-03T10:01:00.000Z', message: HOSTILE } }),
      activity: {
        decisions: [{ seq: 1, at: '2026-12-03T10:00:00.000Z', platform_incident_id: 'p-1', pd_incident_id: HOSTILE, source: HOSTILE, event_type: HOSTILE, field: HOSTILE, side: HOSTILE, outcome: HOSTILE, reason: HOSTILE }],
        settled_writes: [{ action: HOSTILE, settled_at: '2026-12-03T10:00:00.000Z', outcome: HOSTILE, latency_ms: 80 }],
      },
    });
    const html = renderStatusPage(data([hostile], {
      organizationId: HOSTILE, titles: { 'p-1': HOSTILE },
      deadLetters: { total: 1, items: [{ id: HOSTILE, integration_id: HOSTILE, original_topic: HOSTILE, error_code: HOSTILE, error_message: HOSTILE, attempts: 1, last_failed_at: '2026-12-03T10:00:00.000Z' }] },
    }), { signOut: true });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // Every tag in the page is one the page itself writes: none came from the data.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const own = ['html', 'head', 'meta', 'title', 'link', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'p', 'strong', 'a', 'form', 'button', 'main', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'br', 'code', 'ul', 'li', 'section', 'svg', 'text', 'rect', 'div'];
    expect([...tags].filter((t) => !own.includes(t))).toEqual([]);
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    // The only forms post to the gateway itself; the only stylesheet is its own.
    expect([...html.matchAll(/action="([^"]*)"/g)].map((m) => m[1])).toEqual(['/status/sign-out']);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['/status/status.css', '/status']);
  });

  it('shows each figure of an integration in its own cell', () => {
    const html = renderStatusPage(data([integration({ sync: sync({ outbound_queue_depth: 7, tokens_available: 42, rate_limited_429_count: 3, dlq_size: 2, open_conflicts: 4, outbound_lag_seconds: 1.5 }) })]), { signOut: false });
    const cell = (name: string): string | undefined => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
    expect([cell('queue'), cell('tokens'), cell('rate-limited'), cell('dlq'), cell('conflicts'), cell('outbound-lag')]).toEqual(['7', '42 / 120 per min', '3', '2', '4', '1.5 s']);
    expect(html).not.toContain('sign-out');
  });

  it('shows a service that did not answer as unavailable, never as zeros', () => {
    const html = renderStatusPage(data([integration({ sync: null, activity: null })], { deadLetters: null }), { signOut: false });
    expect(/data-figure="dlq">([^<]*)</.exec(html)?.[1]).toBe('—');
    expect(html).toContain('dlq-manager did not answer');
    expect(renderStatusPage(data([], { integrations: null }), { signOut: false })).toContain('integration-config did not answer');
  });

  it('the sign-in form names the field and code of an error, escaped', () => {
    const html = renderSignIn({ code: 'UNAUTHENTICATED', field: 'api_key', message: HOSTILE });
    expect(html).toContain('UNAUTHENTICATED: api_key: &#60;script');
    expect(html).toContain('action="/status/sign-in"');
    expect(html).toContain('type="password"');
  });
});

describe('the latency chart', () => {
  it('draws one bar per settled write, oldest first, the tallest for the slowest, failed ones red', () => {
    const svg = latencyChart([
      { action: 'update', settled_at: '2026-12-03T10:00:02.000Z', outcome: 'failed', latency_ms: 400 },
      { action: 'create', settled_at: '2026-12-03T10:00:01.000Z', outcome: 'succeeded', latency_ms: 100 },
    ], 200, 90);
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="[\d.]+" height="(\d+)" fill="([^"]+)"/g)].map((m) => ({ x: Number(m[1]), height: Number(m[3]), fill: m[4] }));
    expect(bars).toEqual([{ x: 10, height: 19, fill: '#2f7ed8' }, { x: 110, height: 76, fill: '#c0392b' }]);
    expect(svg).toContain('max 400 ms');
    expect(svg).not.toContain('style=');
  });

  it('says so when there is nothing to draw', () => {
    expect(latencyChart([])).toContain('No settled PagerDuty writes yet');
  });
});

describe('recent decisions per incident', () => {
  it('groups by incident, newest incident first, and keeps the PagerDuty id a later decision learned', () => {
    const d = (seq: number, platform: string | null, pd: string | null) => ({ seq, at: '2026-12-03T10:00:00.000Z', platform_incident_id: platform, pd_incident_id: pd, source: 'webhook', event_type: null, field: 'title', side: 'external', outcome: 'applied', reason: 'r' });
    const groups = decisionsByIncident([d(1, 'a', null), d(2, 'b', 'PB'), d(3, 'a', 'PA'), d(4, null, 'PX')], 6, 10);
    expect(groups.map((g) => [g.key, g.pdId, g.decisions.map((x) => x.seq)])).toEqual([['PX', 'PX', [4]], ['a', 'PA', [3, 1]], ['b', 'PB', [2]]]);
    expect(decisionsByIncident([d(1, 'a', null), d(2, 'a', null), d(3, 'a', null)], 2, 10)[0]!.decisions.map((x) => x.seq)).toEqual([3, 2]);
  });
});

describe('integration health', () => {
  it('is ok when nothing waits and nothing lags', () => {
    expect(healthOf(integration())).toEqual({ level: 'ok', reasons: [] });
  });

  it('is failing when the last write failed after the last success, and says why', () => {
    const h = healthOf(integration({ sync: sync({ last_error: { at: '2026-12-03T10:05:00.000Z', message: 'PagerDuty answered 400' } }) }));
    expect(h.level).toBe('failing');
    expect(h.reasons[0]).toBe('last PagerDuty write failed: PagerDuty answered 400');
    expect(healthOf(integration({ sync: sync({ last_error: { at: '2026-12-03T09:00:00.000Z', message: 'old' } }) })).level).toBe('ok');
  });

  it('needs attention for dead letters, conflicts, parked messages, lag over a minute or a silent sibling', () => {
    expect(healthOf(integration({ sync: sync({ dlq_size: 1 }) })).reasons).toEqual(['1 dead letter(s) pending']);
    expect(healthOf(integration({ sync: sync({ open_conflicts: 2, outbound_lag_seconds: 61 }) })).reasons).toEqual(['2 open conflict(s) wait for an operator', 'outbound lag 61 s']);
    expect(healthOf(integration({ sync: sync({ outbound_lag_seconds: 60 }) })).level).toBe('ok');
    expect(healthOf(integration({ sync: sync({ sources: { outbound_dispatcher: 'unavailable' } }) }))).toEqual({ level: 'attention', reasons: ['outbound-dispatcher did not answer'] });
  });

  it('is paused when disabled and unknown without sync-status', () => {
    expect(healthOf(integration({ enabled: false })).level).toBe('paused');
    expect(healthOf(integration({ sync: null })).level).toBe('unknown');
  });
});
