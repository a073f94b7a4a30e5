import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { PagerDutyWebhookReceivedV1, Topic } from '@incident-sync/contracts';
import {
  admin, ApiClient, createSyncFixture, disposeFixture, linkOf, simControl, simRequests, simRequestSeq, SyncFixture, testStack, triggerInPagerDuty, uniqueId, waitFor, withSimFaults,
} from './support/sync-e2e.fixture';

/**
 * Issue #13 §2 and §5 end to end: a transient PagerDuty failure on a read never dead-letters
 * an inbound webhook, reads stay inside the integration's budget, and one broken integration
 * does not hold up another organization.
 */
describe('consumer faults: transient is never permanent, neighbours keep flowing (e2e)', () => {
  const rawBody = (delivery: { body: unknown }): string => (typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body));
  let producer: Producer;

  beforeAll(async () => {
    producer = new Kafka({ clientId: 'consumer-faults-e2e', brokers: testStack.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('given a 429 storm on GET /users/{id} while 200 webhooks arrive, then none is dead-lettered, all apply after the storm, and PagerDuty reads stay within the rate', async () => {
    const SERVICE = 'PSVC003';
    const RATE = 120;
    const WEBHOOKS = 200;
    let fx: SyncFixture | undefined;
    try {
      fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'storm']], syncEscalations: false, subscriptionServiceId: SERVICE, rateLimit: RATE });
      const f = fx;
      const seq0 = await simRequestSeq();
      const started = Date.now();
      const triggered: string[] = [];
      await withSimFaults({ storm_requests: 3, path: '^/users/P' }, async () => {
        for (let i = 0; i < WEBHOOKS; i += 1) {
          triggered.push((await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'low', title: `storm ${i}` })).id);
        }
        // The storm is over once its forced 429s were all answered.
        await waitFor(async () => ((await simControl.get('/sim/faults')).body.faults?.storm_active === false ? true : undefined), { what: 'the storm to pass', timeoutMs: 300000, intervalMs: 1000 });
      });
      const linked = await waitFor(async () => {
        const response = await f.api.get(`/api/v1/integrations/${f.slug}/links?limit=1000`);
        const ids = new Set<string>((response.body.data ?? []).map((l: { pd_incident_id: string }) => l.pd_incident_id));
        return triggered.every((id) => ids.has(id)) ? ids : undefined;
      }, { what: `all ${WEBHOOKS} triggers applied`, timeoutMs: 400000, intervalMs: 2000 });
      const elapsedMs = Date.now() - started;
      expect(triggered.filter((id) => !linked.has(id))).toEqual([]);

      const status = (await f.api.get(`/api/v1/integrations/${f.slug}/sync-status`)).body;
      expect(status.dlq_size).toBe(0);
      expect(status.parked_messages).toBe(0);
      const requests = await simRequests(seq0);
      const reads = requests.filter((r) => r.method === 'GET');
      const userReads = reads.filter((r) => /^\/users\/P/.test(r.path));
      const throttled = userReads.filter((r) => r.status === 429);
      // Every request of the integration (reads and writes) draws from one bucket: at most its
      // burst (ten seconds' worth) plus the rate over the time it ran.
      const allowed = Math.floor(RATE / 6) + Math.ceil((RATE * elapsedMs) / 60000);
      console.log(`[429 storm] webhooks=${WEBHOOKS} applied=${linked.size} elapsed_ms=${elapsedMs} pd_requests=${requests.length} reads=${reads.length} user_reads=${userReads.length} user_429=${throttled.length} allowed=${allowed} dlq=${status.dlq_size}`);
      expect(throttled.length).toBeGreaterThan(0);
      expect(requests.length).toBeLessThanOrEqual(allowed);
    } finally {
      await disposeFixture(fx);
    }
  }, 600000);

  it('given an integration whose PagerDuty is unreachable receiving a burst of webhooks, then another organization\'s trigger still becomes a platform incident while that burst is parked', async () => {
    const SERVICE = 'PSVC001';
    const BURST = 300;
    let fx: SyncFixture | undefined;
    let cleanup: (() => Promise<unknown>) | null = null;
    try {
      fx = await createSyncFixture({ serviceMappings: [[SERVICE, 'payments']], syncEscalations: false, subscriptionServiceId: SERVICE });
      const f = fx;
      // The broken neighbour: its PagerDuty base URL refuses connections (nothing listens on port 9).
      const org = uniqueId('org');
      const key = await admin.post('/api/v1/api-keys', { organization_id: org, name: 'broken' });
      expect(key.status).toBe(201);
      const brokenApi = new ApiClient(testStack.gatewayUrl, key.body.api_key);
      const slug = uniqueId('pd');
      const broken = await brokenApi.post('/api/v1/integrations', {
        integration_type: 'pagerduty', name: `broken ${slug}`, slug, base_url: 'http://127.0.0.1:9', credentials: { token: 'unreachable-token' },
        from_email: 'bot@example.com', sync_direction: 'bidirectional', conflict_strategy: 'ownership-priority', rate_limit: 600,
      });
      expect(broken.status).toBe(201);
      // Deleting it afterwards lets its parked webhooks drain (an unknown integration's webhooks are ignored).
      cleanup = () => brokenApi.delete(`/api/v1/integrations/${broken.body.id}`);
      await brokenApi.post(`/api/v1/integrations/${broken.body.id}/service-mappings`, { pd_service_id: SERVICE, incident_type: 'payments' });

      // A real signed trigger delivery for the healthy org is the template of the burst.
      const first = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high', title: 'template' });
      await waitFor(async () => (await linkOf(f, first.id)) ?? undefined, { what: 'the template trigger applied', timeoutMs: 60000 });
      const delivery = (await simControl.get('/sim/deliveries?since=0')).body.deliveries
        .filter((d: { incident_id: string; url: string; event_type: string }) => d.incident_id === first.id && d.url.includes(f.integrationId) && d.event_type === 'incident.triggered').pop();
      const template = JSON.parse(rawBody(delivery)).event;

      const messages = Array.from({ length: BURST }, (_, i) => {
        const pdIncidentId = `PBRK${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        const event = { ...template, id: `01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`, occurred_at: new Date().toISOString(), data: { ...template.data, id: pdIncidentId, title: `broken ${i}` } };
        const message: PagerDutyWebhookReceivedV1 = {
          receiptId: randomUUID(), integrationId: broken.body.id, organizationId: org, webhookId: randomUUID(), eventId: event.id, eventType: 'incident.triggered',
          resourceType: 'incident', pdIncidentId, occurredAt: event.occurred_at, receivedAt: new Date().toISOString(), event,
        };
        return { key: pdIncidentId, value: JSON.stringify(message), headers: { 'message-id': message.receiptId } };
      });
      await producer.send({ topic: Topic.PagerDutyWebhookReceived, messages });

      // The healthy organization acts in PagerDuty right after the burst.
      const healthy = await triggerInPagerDuty({ as: 'carol@example.com', service_id: SERVICE, urgency: 'high', title: 'healthy neighbour' });
      const link = await waitFor(async () => (await linkOf(f, healthy.id)) ?? undefined, { what: 'the healthy trigger applied', timeoutMs: 60000 });
      // The link reserves the platform id first; the incident exists once the create command applied.
      const created = await waitFor(async () => { const r = await f.api.get(`/api/v1/incidents/${link.platform_incident_id}`); return r.status === 200 ? r : undefined; }, { what: 'the healthy platform incident created', timeoutMs: 60000 });
      expect(created.body).toMatchObject({ title: 'healthy neighbour', incident_type: 'payments' });

      // …while the broken integration's webhooks wait parked (not dead-lettered, not dropped).
      const brokenStatus = (await brokenApi.get(`/api/v1/integrations/${slug}/sync-status`)).body;
      console.log(`[neighbour] burst=${BURST} broken_parked=${brokenStatus.parked_messages} broken_oldest_parked_s=${brokenStatus.oldest_parked_age_seconds} broken_dlq=${brokenStatus.dlq_size}`);
      expect(brokenStatus.parked_messages).toBeGreaterThan(0);
      expect(brokenStatus.dlq_size).toBe(0);
    } finally {
      await cleanup?.();
      await disposeFixture(fx);
    }
  }, 300000);
});
