/**
 * Inbound latency: time from the simulator SENDING a webhook (its delivery log, sent_at) to the
 * platform incident being UPDATED (the incident's updated_at, written by the incidents service),
 * over at least 200 responder actions (acknowledge / unacknowledge alternating).
 *   node -r ./tools/register-paths.js dist/bench/inbound-latency.js [events=200] [incidents=20]
 */
import { call, must, setUpIntegration, summary, target, tearDown, waitUntil } from './bench-support';

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200);
  const incidentCount = Number(process.argv[3] ?? 20);
  // The service must map to an incident type, or a PagerDuty trigger creates no platform incident (issue #8).
  const bench = await setUpIntegration({ rateLimit: 6000, incidentType: 'bench' });
  const sim = (m: string, p: string, b?: unknown) => must(call(target.simulator, m, p, b), `${m} ${p}`);

  // Trigger incidents as PagerDuty; each must appear on the platform (linked) first.
  const pdIds: string[] = [];
  for (let i = 0; i < incidentCount; i += 1) {
    const created = await sim('POST', '/sim/incidents', { title: `bench inbound ${i}`, service_id: 'PSVC001', urgency: 'high', as: 'alice@example.com' });
    pdIds.push((created as { incident: { id: string } }).incident.id);
  }
  const platformOf = new Map<string, string>();
  await waitUntil(async () => {
    const links = await call<{ data: { pd_incident_id: string; platform_incident_id: string }[] }>(target.gateway, 'GET', `/api/v1/integrations/${bench.slug}/links`, undefined, bench.orgKey);
    for (const l of links.body?.data ?? []) platformOf.set(l.pd_incident_id, l.platform_incident_id);
    return pdIds.every((id) => platformOf.has(id)) ? true : undefined;
  }, 120000, 'all incidents linked');

  const samples: number[] = [];
  // sent_at is when the simulator's request left; occurred_at is when the event happened (a
  // little earlier). Both figures are printed.
  const fromEvent: number[] = [];
  const perIncident = Math.ceil(events / incidentCount);
  let since = ((await sim('GET', '/sim/deliveries?since=0')) as { deliveries: { seq: number }[] }).deliveries.reduce((m, d) => Math.max(m, d.seq), 0);
  for (let round = 0; round < perIncident; round += 1) {
    const action = round % 2 === 0 ? 'acknowledge' : 'unacknowledge';
    const expected = action === 'acknowledge' ? 'mitigated' : 'open';
    await Promise.all(pdIds.map((id) => sim('POST', `/sim/incidents/${id}/${action}`, { as: 'alice@example.com' })));
    for (const id of pdIds) {
      const platformId = platformOf.get(id)!;
      const incident = await waitUntil(async () => {
        const r = await call<{ status: string; updated_at: string }>(target.gateway, 'GET', `/api/v1/incidents/${platformId}`, undefined, bench.orgKey);
        return r.body?.status === expected ? r.body : undefined;
      }, 60000, `${id} ${expected}`);
      const deliveries = ((await sim('GET', `/sim/deliveries?since=${since}`)) as { deliveries: { seq: number; incident_id: string; event_type: string; attempt: number; sent_at: number; body: { event?: { occurred_at?: string } } }[] }).deliveries;
      const sent = deliveries.find((d) => d.incident_id === id && d.event_type === `incident.${action}d` && d.attempt === 1);
      if (sent) samples.push(Date.parse(incident.updated_at) - sent.sent_at);
      const occurredAt = Date.parse(sent?.body?.event?.occurred_at ?? '');
      if (sent && Number.isFinite(occurredAt)) fromEvent.push(Date.parse(incident.updated_at) - occurredAt);
    }
    since = ((await sim('GET', `/sim/deliveries?since=${since}`)) as { deliveries: { seq: number }[] }).deliveries.reduce((m, d) => Math.max(m, d.seq), since);
  }
  console.log(summary('webhook sent (sim sent_at) → platform incident updated', samples));
  console.log(summary('event occurred_at (just before the simulator sends) → platform incident updated', fromEvent));
  await tearDown(bench);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
