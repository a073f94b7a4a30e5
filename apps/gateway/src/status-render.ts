import type { DecisionFigure, IntegrationStatus, SettledWriteFigure, StatusData } from './status-data';
import { MAX_INTEGRATIONS } from './status-data';
import { healthOf } from './status-health';

/**
 * HTML of the status page, rendered on the server: no script at all, so the CSP can refuse
 * every script. Every value that reaches the HTML goes through `esc` (text and attributes
 * alike), tenant-controlled or not, so no caller-chosen name, title, id or error text can
 * become markup.
 */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const num = (value: number | null | undefined, unit = ''): string => (value === null || value === undefined ? '—' : `${value}${unit}`);
const when = (iso: string | null | undefined): string => (iso ? esc(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : '—');

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/status/status.css"></head>
<body>
${body}
</body>
</html>
`;
}

/** The sign-in form; `error` is shown above it (code, field and message). */
export function renderSignIn(error?: { code: string; field: string; message: string }): string {
  const alert = error ? `<p class="error" role="alert" data-error-code="${esc(error.code)}">${esc(error.code)}: ${esc(error.field)}: ${esc(error.message)}</p>\n` : '';
  return layout('incident-sync status: sign in', `<main class="narrow">
<h1>incident-sync status</h1>
${alert}<form method="post" action="/status/sign-in">
<label for="api_key">API key of your organization</label>
<input id="api_key" name="api_key" type="password" autocomplete="off" required maxlength="2048">
<button type="submit">Sign in</button>
</form>
<p class="hint">The key stays on the server: your browser keeps only a session cookie (HttpOnly, SameSite=Strict), for these pages only. Create a key with <code>im api-key create --org &lt;organization&gt; --name status</code>.</p>
</main>`);
}

/** An error page of the status pages (no tenant data). */
export function renderError(code: string, message: string): string {
  return layout('incident-sync status: error', `<main class="narrow"><h1>incident-sync status</h1><p class="error" role="alert" data-error-code="${esc(code)}">${esc(code)}: ${esc(message)}</p>
<p><a href="/status/sign-in">Sign in</a></p></main>`);
}

/**
 * A bar per settled PagerDuty write, oldest on the left, height by latency (issued → PagerDuty's
 * answer); red bars failed. Drawn with SVG presentation attributes only: a `style` attribute
 * would be refused by the CSP (style-src 'self').
 */
export function latencyChart(writes: SettledWriteFigure[], width = 360, height = 90): string {
  if (writes.length === 0) return '<p class="muted" data-chart="empty">No settled PagerDuty writes yet.</p>';
  const ordered = [...writes].sort((a, b) => Date.parse(a.settled_at) - Date.parse(b.settled_at));
  const max = Math.max(1, ...ordered.map((w) => w.latency_ms));
  const slot = width / ordered.length;
  const bars = ordered.map((w, i) => {
    const h = Math.max(1, Math.round((w.latency_ms / max) * (height - 14)));
    const fill = w.outcome === 'failed' ? '#c0392b' : '#2f7ed8';
    return `<rect x="${(i * slot + slot * 0.1).toFixed(1)}" y="${height - h}" width="${Math.max(1, slot * 0.8).toFixed(1)}" height="${h}" fill="${fill}"><title>${esc(w.action)} ${esc(w.outcome ?? '')} ${w.latency_ms} ms at ${when(w.settled_at)}</title></rect>`;
  }).join('');
  const sorted = ordered.map((w) => w.latency_ms).sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return `<svg class="chart" data-chart="outbound" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="outbound latency of the last ${ordered.length} writes: median ${p50} ms, max ${max} ms">`
    + `<text x="2" y="10" font-size="10" fill="#555">max ${max} ms · median ${p50} ms · ${ordered.length} writes</text>${bars}</svg>`;
}

function figures(i: IntegrationStatus): string {
  const s = i.sync;
  const health = healthOf(i);
  const cell = (name: string, value: string): string => `<td data-figure="${name}">${value}</td>`;
  const reasons = health.reasons.length > 0 ? `<ul class="reasons">${health.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  return `<tr data-integration="${esc(i.id)}">
<td><span class="name" data-figure="name">${esc(i.name)}</span><br><code>${esc(i.slug)}</code> · ${esc(i.sync_direction)}</td>
<td data-figure="health"><span class="badge ${health.level}">${health.level}</span>${reasons}</td>
${cell('inbound-lag', num(s?.inbound_lag_seconds, ' s'))}${cell('outbound-lag', num(s?.outbound_lag_seconds, ' s'))}
${cell('queue', num(s?.outbound_queue_depth))}${cell('tokens', s ? `${num(s.tokens_available)} / ${s.rate_limit_per_minute} per min` : '—')}
${cell('rate-limited', num(s?.rate_limited_429_count))}${cell('dlq', num(s?.dlq_size))}${cell('conflicts', num(s?.open_conflicts))}
${cell('last-success', when(s?.last_success_at))}${cell('last-webhook', when(s?.last_webhook_received_at))}
</tr>`;
}

/** Decisions grouped by incident, newest incident first, each incident's decisions newest first. */
export function decisionsByIncident(decisions: DecisionFigure[], perIncident = 6, incidents = 10): { key: string; platformId: string | null; pdId: string | null; decisions: DecisionFigure[] }[] {
  const groups = new Map<string, { key: string; platformId: string | null; pdId: string | null; decisions: DecisionFigure[] }>();
  for (const d of [...decisions].sort((a, b) => b.seq - a.seq)) {
    const key = d.platform_incident_id ?? d.pd_incident_id ?? 'unlinked';
    const group = groups.get(key) ?? { key, platformId: d.platform_incident_id, pdId: d.pd_incident_id, decisions: [] };
    group.pdId ??= d.pd_incident_id;
    if (group.decisions.length < perIncident) group.decisions.push(d);
    groups.set(key, group);
  }
  return [...groups.values()].slice(0, incidents);
}

function activity(i: IntegrationStatus, titles: Record<string, string>): string {
  if (i.activity === null) return `<section class="activity" data-activity="${esc(i.id)}"><h3>${esc(i.name)}</h3><p class="muted">sync-engine did not answer.</p></section>`;
  const groups = decisionsByIncident(i.activity.decisions).map((g) => {
    const title = g.platformId ? titles[g.platformId] : undefined;
    const rows = g.decisions.map((d) => `<tr><td>${when(d.at)}</td><td>${esc(d.source)}${d.event_type ? ` <code>${esc(d.event_type)}</code>` : ''}</td><td>${esc(d.field ?? '')}</td><td>${esc(d.side ?? '')}</td><td class="outcome">${esc(d.outcome)}</td><td>${esc(d.reason)}</td></tr>`).join('\n');
    return `<div class="incident" data-incident="${esc(g.key)}"><h4>${title !== undefined ? `<span class="title">${esc(title)}</span> ` : ''}<code>${esc(g.platformId ?? '—')}</code> ↔ PagerDuty <code>${esc(g.pdId ?? '—')}</code></h4>
<table class="decisions"><thead><tr><th>at</th><th>source</th><th>field</th><th>side</th><th>outcome</th><th>reason</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
  }).join('\n');
  return `<section class="activity" data-activity="${esc(i.id)}"><h3>${esc(i.name)}</h3>
<h4>Outbound latency (platform change → PagerDuty's answer)</h4>${latencyChart(i.activity.settled_writes)}
<p>Inbound lag now: ${num(i.sync?.inbound_lag_seconds, ' s')}</p>
<h4>Recent sync decisions</h4>${groups || '<p class="muted">No decisions yet.</p>'}</section>`;
}

function deadLetters(data: StatusData): string {
  if (data.deadLetters === null) return '<p class="muted">dlq-manager did not answer.</p>';
  const rows = data.deadLetters.items.map((d) => `<tr data-dead-letter="${esc(d.id)}"><td>${when(d.last_failed_at)}</td><td><code>${esc(d.original_topic)}</code></td><td><code>${esc(d.integration_id ?? '—')}</code></td><td>${esc(d.error_code)}</td><td>${esc(d.error_message)}</td><td>${d.attempts}</td><td><code>${esc(d.id)}</code></td></tr>`).join('\n');
  return `<p data-figure="dlq-total">${data.deadLetters.total} pending</p>
${rows ? `<table class="dlq"><thead><tr><th>last failed</th><th>topic</th><th>integration</th><th>code</th><th>message</th><th>attempts</th><th>id</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''}
<p class="hint">Inspect and replay: <code>im dlq list</code>, <code>im dlq get &lt;id&gt;</code>, <code>im dlq replay &lt;id&gt;</code>.</p>`;
}

/** The whole page for one organization. `signOut` adds the sign-out button (cookie sessions). */
export function renderStatusPage(data: StatusData, options: { signOut: boolean }): string {
  const list = data.integrations;
  const table = list === null
    ? '<p class="error" role="alert">integration-config did not answer: integrations cannot be listed right now.</p>'
    : list.length === 0
      ? '<p class="muted">No integrations yet: <code>im integration configure --name … --type pagerduty …</code></p>'
      : `<table class="integrations"><thead><tr><th>integration</th><th>health</th><th>inbound lag</th><th>outbound lag</th><th>queue</th><th>tokens</th><th>429s</th><th>DLQ</th><th>open conflicts</th><th>last success</th><th>last webhook</th></tr></thead><tbody>
${list.map(figures).join('\n')}
</tbody></table>${data.integrationCount > MAX_INTEGRATIONS ? `<p class="muted">The first ${MAX_INTEGRATIONS} of ${data.integrationCount} integrations.</p>` : ''}`;
  const signOut = options.signOut ? '<form method="post" action="/status/sign-out" class="sign-out"><button type="submit">Sign out</button></form>' : '';
  return layout(`incident-sync status: ${data.organizationId}`, `<header><h1>incident-sync status</h1>
<p>Organization <strong data-figure="organization">${esc(data.organizationId)}</strong> · as of ${when(data.generatedAt)} · <a href="/status">refresh</a></p>${signOut}</header>
<main>
<h2>Integrations</h2>
${table}
<h2>Dead letters</h2>
${deadLetters(data)}
<h2>Activity</h2>
${(list ?? []).map((i) => activity(i, data.titles)).join('\n')}
</main>`);
}

/** The page's only stylesheet, served from /status/status.css (the CSP allows styles from 'self' only). */
export const STATUS_CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5rem 2rem;color:#222}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:1rem;border-bottom:1px solid #ddd}
.narrow{max-width:32rem;margin:3rem auto}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;color:#fff;font-weight:600}
.ok{background:#2e8540}.attention{background:#c77c00}.failing{background:#c0392b}.paused,.unknown{background:#777}
.reasons{margin:.25rem 0 0;padding-left:1.1rem}.muted,.hint{color:#666}.error{color:#c0392b;font-weight:600}
.chart{border:1px solid #ddd;background:#fafafa}.incident h4{margin:.75rem 0 .25rem}
input{display:block;width:100%;margin:.5rem 0;padding:.4rem}.sign-out{margin-left:auto}
`;
