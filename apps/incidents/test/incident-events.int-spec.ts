import { randomUUID } from 'node:crypto';
import {
  DeadLetterEnvelope, PlatformIncidentChangedV1, PlatformIncidentCommandV1, Topic,
} from '@incident-sync/contracts';
import { EventPublisher, OutboxRelayHost } from '@incident-sync/messaging';
import { OutboxRelay } from '@incident-sync/persistence';
import { ApiClient, waitFor } from '@incident-sync/testing';
import { IncidentService } from '../src/incident.service';
import { IncidentsHarness, startIncidentsApp, uniqueOrg } from './incidents-app.harness';
import { TopicTap } from './topic-tap';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('incident events and sync commands (real Postgres + Kafka)', () => {
  let h: IncidentsHarness;
  let changed: TopicTap<PlatformIncidentChangedV1>;
  let deadLetters: TopicTap<DeadLetterEnvelope>;
  let api: ApiClient;
  let org: string;
  const integrationId = 'prod-pd';

  beforeAll(async () => {
    [h, changed, deadLetters] = await Promise.all([
      startIncidentsApp(),
      TopicTap.start<PlatformIncidentChangedV1>(Topic.PlatformIncidentChanged),
      TopicTap.start<DeadLetterEnvelope>(`${Topic.PlatformIncidentCommands}.dlq` as never),
    ]);
  });
  afterAll(async () => {
    await Promise.all([changed?.stop(), deadLetters?.stop()]);
    await h?.close();
  });
  beforeEach(() => {
    org = uniqueOrg();
    api = h.api(org);
  });

  const outboxRows = async (incidentId: string): Promise<{ message_id: string; published_at: Date | null; payload: string }[]> =>
    (await h.dataSource.query(`SELECT message_id, published_at, payload FROM "${h.schema}"."outbox_message" WHERE message_key = $1 ORDER BY seq`, [incidentId])) as never;
  const timeline = async (ref: string): Promise<{ kind: string; field: string | null; message: string | null; origin: { type: string; command_id: string | null } }[]> =>
    (await api.get(`/api/v1/incidents/${ref}/timeline`)).body.data;
  const command = (incidentId: string, rest: Partial<PlatformIncidentCommandV1>): PlatformIncidentCommandV1 => ({
    commandId: randomUUID(), organizationId: org, integrationId, incidentId, type: 'update', occurredAt: new Date().toISOString(), ...rest,
  });
  const send = async (...commands: PlatformIncidentCommandV1[]): Promise<void> => {
    const publisher = h.app.get(EventPublisher);
    for (const c of commands) await publisher.publish(Topic.PlatformIncidentCommands, c);
  };
  /** Commands of one incident share a partition: once this one is applied, every earlier one was handled. */
  const sendSentinelAndWait = async (incidentId: string): Promise<void> => {
    const marker = `sentinel ${randomUUID()}`;
    await send(command(incidentId, { type: 'add_timeline_entry', timelineEntry: { kind: 'sync', message: marker } }));
    await waitFor(async () => (await timeline(incidentId)).some((e) => e.message === marker), { what: marker });
  };

  it('a change and its event commit together: with the relay down nothing is published, after restart exactly one event', async () => {
    const host = h.app.get(OutboxRelayHost);
    await host.relay.stop();
    try {
      const { body: incident } = await api.post('/api/v1/incidents', { title: 'Atomic', severity: 'SEV-2' });
      const patched = await api.patch(`/api/v1/incidents/${incident.id}`, { status: 'mitigated' });
      expect(patched.status).toBe(200);
      const rows = await outboxRows(incident.id);
      expect(rows.map((r) => r.published_at)).toEqual([null, null]);
      const eventId = rows[1]?.message_id ?? '';

      // A relay pass whose broker write fails (broker unreachable, process killed mid-send) publishes nothing and marks nothing.
      const broken = new OutboxRelay(h.dataSource, { republishRaw: async () => { throw new Error('broker unreachable'); } }, { schema: h.schema });
      await expect(broken.runOnce()).rejects.toThrow('broker unreachable');
      expect((await outboxRows(incident.id)).map((r) => r.published_at)).toEqual([null, null]);

      await sleep(1500);
      expect(changed.where((e) => e.incidentId === incident.id)).toHaveLength(0);

      host.relay.start();
      await waitFor(() => changed.where((e) => e.eventId === eventId).length === 1 || undefined, { what: 'the update event on the broker' });
      await waitFor(async () => (await outboxRows(incident.id)).every((r) => r.published_at !== null), { what: 'rows marked published' });
      await sleep(1500); // many relay polls later: still exactly one
      const events = changed.where((e) => e.eventId === eventId);
      expect(events).toHaveLength(1);
      expect(events[0]?.key).toBe(incident.id);
      expect(events[0]?.value).toMatchObject({
        changeType: 'updated', version: 2, changes: [{ field: 'status', oldValue: 'open', newValue: 'mitigated' }],
        origin: { type: 'api', actor: 'ci-key' }, incident: { id: incident.id, status: 'mitigated', version: 2, number: 'INC-1' },
      });
      expect(changed.where((e) => e.incidentId === incident.id).map((m) => m.value.changeType)).toEqual(['created', 'updated']);
    } finally {
      host.relay.start();
    }
  });

  it('a change whose transaction fails leaves neither the change nor its event', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'Before', severity: 'SEV-3' });
    const service = h.app.get(IncidentService);
    await expect(h.dataSource.transaction(async (manager) => {
      await service.updateWithin(manager, org, incident.id, { id: incident.id }, { title: 'Never committed' }, {}, { type: 'api', actor: 'ci-key' });
      expect((await outboxRows(incident.id)).length).toBe(1); // the outbox row is not visible outside the transaction
      throw new Error('crash before commit');
    })).rejects.toThrow('crash before commit');
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ title: 'Before', version: 1 });
    expect(await outboxRows(incident.id)).toHaveLength(1);
    expect((await timeline(incident.id)).map((e) => e.kind)).toEqual(['created']);
  });

  it('a create command makes the incident with the id the sync chose; the same command twice (and a replayed create) changes nothing', async () => {
    const incidentId = randomUUID();
    const create = command(incidentId, {
      type: 'create',
      fields: { title: 'From PagerDuty', severity: 'SEV-2', status: 'open', escalation_policy: 'PEP1', escalation_policy_name: 'Primary', incident_type: 'checkout' },
      externalRef: { system: 'pagerduty', id: 'Q1ABC', number: '1234', url: 'https://example.pagerduty.com/incidents/Q1ABC' },
      timelineEntry: { kind: 'sync', message: 'created from PagerDuty incident #1234' },
    });
    await send(create, create, { ...create, commandId: randomUUID() });
    await sendSentinelAndWait(incidentId);

    const { body: incident } = await api.get(`/api/v1/incidents/${incidentId}`);
    expect(incident).toMatchObject({
      id: incidentId, number: 'INC-1', title: 'From PagerDuty', version: 1, escalation_policy: { id: 'PEP1', name: 'Primary' },
      external_refs: [{ system: 'pagerduty', id: 'Q1ABC', number: '1234', url: 'https://example.pagerduty.com/incidents/Q1ABC', integration_id: integrationId }],
    });
    expect((await api.get('/api/v1/incidents')).body.data).toHaveLength(1);
    expect((await timeline(incidentId)).map((e) => e.kind)).toEqual(['created', 'sync', 'sync']);
    const rows = await outboxRows(incidentId);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.payload ?? '{}')).toMatchObject({ changeType: 'created', origin: { type: 'integration', integrationId, commandId: create.commandId, actor: `integration:${integrationId}` } });
  });

  it('the same update command delivered twice is applied once, and its event names the integration and the command', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3' });
    const update = command(incident.id, { fields: { status: 'mitigated', assigned_to: 'bob@example.com' }, baseValues: { status: 'open', assigned_to: null } });
    await send(update, update);
    await sendSentinelAndWait(incident.id);

    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ status: 'mitigated', assigned_to: 'bob@example.com', version: 2 });
    const rows = await outboxRows(incident.id);
    expect(rows).toHaveLength(2);
    const event = JSON.parse(rows[1]?.payload ?? '{}') as PlatformIncidentChangedV1;
    expect(event).toMatchObject({
      changeType: 'updated', version: 2, origin: { type: 'integration', integrationId, commandId: update.commandId },
      changes: [{ field: 'status', oldValue: 'open', newValue: 'mitigated' }, { field: 'assigned_to', oldValue: null, newValue: 'bob@example.com' }],
    });
    const entries = await timeline(incident.id);
    expect(entries.filter((e) => e.origin.command_id === update.commandId).map((e) => e.kind)).toEqual(['status_changed', 'field_changed']);
    // The relay publishes it to the real broker (what the sync-engine sees as its own echo).
    await waitFor(() => changed.where((e) => e.eventId === event.eventId).length === 1 || undefined, { what: 'command event on the broker' });
  });

  it('a command on a stale base never overwrites a newer human edit: that field is skipped and noted, the others apply', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'Original', severity: 'SEV-3' });
    await h.api(org, 'alice-key').patch(`/api/v1/incidents/${incident.id}`, { title: 'Edited by Alice' });
    const stale = command(incident.id, { fields: { title: 'From PagerDuty', severity: 'SEV-1' }, baseValues: { title: 'Original', severity: 'SEV-3' } });
    await send(stale);
    await sendSentinelAndWait(incident.id);

    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ title: 'Edited by Alice', severity: 'SEV-1', version: 3 });
    const skipped = (await timeline(incident.id)).filter((e) => e.kind === 'sync_skipped');
    expect(skipped).toEqual([expect.objectContaining({ field: 'title', message: expect.stringContaining('changed since the sync read it') })]);
    const last = JSON.parse((await outboxRows(incident.id))[2]?.payload ?? '{}') as PlatformIncidentChangedV1;
    expect(last.changes).toEqual([{ field: 'severity', oldValue: 'SEV-3', newValue: 'SEV-1' }]);
    expect(last.origin.commandId).toBe(stale.commandId);
    // The sync-engine learns which field of its write never landed (it stops expecting it).
    expect(last.skipped).toEqual([{ field: 'title', reason: 'changed_since' }]);
  });

  it('a command whose every field is skipped still publishes one event naming the skipped fields (no version change)', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'Original', severity: 'SEV-3' });
    await h.api(org, 'alice-key').patch(`/api/v1/incidents/${incident.id}`, { assigned_to: 'alice@example.com' });
    const stale = command(incident.id, { fields: { assigned_to: 'pd-user@example.com' }, baseValues: { assigned_to: null } });
    await send(stale);
    await sendSentinelAndWait(incident.id);

    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ assigned_to: 'alice@example.com', version: 2 });
    const rows = await outboxRows(incident.id);
    expect(rows).toHaveLength(3);
    const last = JSON.parse(rows[2]?.payload ?? '{}') as PlatformIncidentChangedV1;
    expect(last).toMatchObject({ changeType: 'updated', version: 2, changes: [], skipped: [{ field: 'assigned_to', reason: 'changed_since' }], origin: { type: 'integration', commandId: stale.commandId } });
    await waitFor(() => changed.where((e) => e.eventId === last.eventId).length === 1 || undefined, { what: 'skip report on the broker' });
  });

  it('an illegal command (resolved on a closed incident) is recorded as skipped: no change, no dead letter, an event that reports the skip', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-3', status: 'resolved' });
    await api.patch(`/api/v1/incidents/${incident.id}`, { status: 'closed' });
    const resolve = command(incident.id, { fields: { status: 'resolved' }, baseValues: { status: 'closed' } });
    await send(resolve);
    await sendSentinelAndWait(incident.id);

    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ status: 'closed', version: 2 });
    expect((await timeline(incident.id)).filter((e) => e.origin.command_id === resolve.commandId).map((e) => [e.kind, e.field])).toEqual([['sync_skipped', 'status']]);
    const rows = await outboxRows(incident.id);
    expect(rows).toHaveLength(3);
    expect(JSON.parse(rows[2]?.payload ?? '{}')).toMatchObject({ version: 2, changes: [], skipped: [{ field: 'status', reason: 'illegal_transition' }] });
    await sleep(500);
    expect(deadLetters.where((d) => d.consumerGroup === h.groupId && d.payload.includes(resolve.commandId))).toHaveLength(0);
  });

  it('add_timeline_entry appends what the sync saw in PagerDuty (e.g. an escalation), without a version change or event', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'A', severity: 'SEV-2' });
    const escalated = command(incident.id, {
      type: 'add_timeline_entry',
      timelineEntry: { kind: 'escalated', message: 'escalated to level 2 in PagerDuty', author: 'PagerDuty' },
      externalRef: { system: 'pagerduty', id: 'Q2XYZ', url: 'https://example.pagerduty.com/incidents/Q2XYZ' },
    });
    await send(escalated, escalated);
    await sendSentinelAndWait(incident.id);
    const entries = (await api.get(`/api/v1/incidents/${incident.id}/timeline`)).body.data;
    expect(entries.filter((e: { kind: string }) => e.kind === 'escalated')).toEqual([expect.objectContaining({
      message: 'escalated to level 2 in PagerDuty', actor: 'PagerDuty', origin: { type: 'integration', integration_id: integrationId, command_id: escalated.commandId },
    })]);
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ version: 1, external_refs: [expect.objectContaining({ id: 'Q2XYZ', number: null })] });
    expect(await outboxRows(incident.id)).toHaveLength(1);
  });

  it('a command for another organization\'s incident is dead-lettered, not applied', async () => {
    const { body: incident } = await api.post('/api/v1/incidents', { title: 'Mine', severity: 'SEV-3' });
    const foreign = { ...command(incident.id, { fields: { title: 'pwned' } }), organizationId: uniqueOrg() };
    await send(foreign);
    // Only this app's dead letters count: a running incidents service reads the same topic in its own group.
    const mine = (): ReturnType<typeof deadLetters.where> => deadLetters.where((d) => d.consumerGroup === h.groupId && d.payload.includes(foreign.commandId));
    await waitFor(() => mine().length === 1 || undefined, { what: 'dead letter' });
    expect(mine()[0]?.value).toMatchObject({ errorCode: 'NOT_FOUND', retryable: false, originalTopic: Topic.PlatformIncidentCommands, key: incident.id });
    expect((await api.get(`/api/v1/incidents/${incident.id}`)).body).toMatchObject({ title: 'Mine', version: 1 });
  });
});
