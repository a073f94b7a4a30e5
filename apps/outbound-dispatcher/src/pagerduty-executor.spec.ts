import { PagerDutyApiError, PagerDutyClient } from '@incident-sync/pagerduty';
import { PagerDutyExecutor, statusAlreadyHeld, statusRefused } from './pagerduty-executor';
import { commandResultOf } from './command-results';
import type { WorkUnit } from './coalesce-commands';

const rejected = (pdCode: number, message: string): PagerDutyApiError => new PagerDutyApiError(message, 400, pdCode, false, null, { error: { code: pdCode, message } });

describe('a write whose status PagerDuty already holds', () => {
  it('given 1002 Already Acknowledged for a write that acknowledges, then the status holds', () => {
    expect(statusAlreadyHeld(rejected(1002, 'Incident Already Acknowledged'), 'acknowledged')).toBe(true);
    expect(statusAlreadyHeld(rejected(1001, 'Incident Already Resolved'), 'resolved')).toBe(true);
  });

  it('given another rejection, or the code for a different status, then it is an ordinary rejection', () => {
    expect(statusAlreadyHeld(rejected(1002, 'Incident Already Acknowledged'), 'resolved')).toBe(false);
    expect(statusAlreadyHeld(rejected(2001, 'Invalid Input Provided'), 'acknowledged')).toBe(false);
    expect(statusAlreadyHeld(rejected(1002, 'Incident Already Acknowledged'), undefined)).toBe(false);
    expect(statusAlreadyHeld(new PagerDutyApiError('down', 503, null, true, null, null), 'acknowledged')).toBe(false);
  });

  it('given a coalesced write of status and title refused with 1002, then the title is sent again without the status and the write counts as done', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = {
      updateIncident: async (_id: string, body: Record<string, unknown>) => {
        sent.push(body);
        if (body['status'] !== undefined) throw rejected(1002, 'Incident Already Acknowledged');
        return { data: { incident: { id: 'PINC1', title: body['title'] } } };
      },
    } as unknown as PagerDutyClient;
    let tokens = 0;
    const executor = new PagerDutyExecutor({ client, takeToken: async () => void (tokens += 1), beforeCreate: async () => undefined });
    const unit = { action: 'update_incident', pdIncidentId: 'PINC1', platformIncidentId: 'p-1', commands: [], attempts: 0, fields: { status: 'acknowledged', title: 'db down' } } as unknown as WorkUnit;
    const result = await executor.execute(unit);
    expect(sent).toEqual([
      { type: 'incident_reference', status: 'acknowledged', title: 'db down' },
      { type: 'incident_reference', title: 'db down' },
    ]);
    expect(tokens).toBe(2);
    expect(result).toMatchObject({ pdIncidentId: 'PINC1', written: { status: 'acknowledged', title: 'db down' } });
  });

  it('given a write that acknowledges and reassigns, then the reassignment is sent first and the acknowledgement after it, so it is not undone by the reassignment', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = {
      updateIncident: async (_id: string, body: Record<string, unknown>) => {
        sent.push(body);
        return { data: { incident: { id: 'PINC1', status: body['status'] ?? 'triggered' } } };
      },
    } as unknown as PagerDutyClient;
    const executor = new PagerDutyExecutor({ client, takeToken: async () => undefined, beforeCreate: async () => undefined });
    const unit = { action: 'update_incident', pdIncidentId: 'PINC1', platformIncidentId: 'p-1', commands: [], attempts: 0, fields: { status: 'acknowledged', assigneeUserId: 'PUSR1', title: 't' } } as unknown as WorkUnit;
    const result = await executor.execute(unit);
    expect(sent).toEqual([
      { type: 'incident_reference', title: 't', assignments: [{ assignee: { id: 'PUSR1', type: 'user_reference' } }] },
      { type: 'incident_reference', status: 'acknowledged' },
    ]);
    expect(result.incident).toMatchObject({ status: 'acknowledged' });
  });
});

describe('a status PagerDuty refuses to take (acknowledged back to triggered)', () => {
  const invalidStatus = (): PagerDutyApiError => rejected(1003, 'Invalid Status Provided');

  it('given 1003 for a write that sets triggered, then it is a refusal; for anything else it is an ordinary rejection', () => {
    expect(statusRefused(invalidStatus(), 'triggered')).toMatchObject({ keys: ['status'], reason: expect.stringContaining('only a responder can unacknowledge') });
    expect(statusRefused(invalidStatus(), 'acknowledged')).toBeNull();
    expect(statusRefused(rejected(2001, 'Invalid Input Provided'), 'triggered')).toBeNull();
    expect(statusRefused(new PagerDutyApiError('down', 503, null, true, null, null), 'triggered')).toBeNull();
  });

  it('given a coalesced write of status triggered and title refused with 1003, then the title is sent alone and the result reports the status as refused, not written', async () => {
    const sent: Record<string, unknown>[] = [];
    const client = {
      updateIncident: async (_id: string, body: Record<string, unknown>) => {
        sent.push(body);
        if (body['status'] === 'triggered') throw invalidStatus();
        return { data: { incident: { id: 'PINC1', title: body['title'] } } };
      },
    } as unknown as PagerDutyClient;
    const executor = new PagerDutyExecutor({ client, takeToken: async () => undefined, beforeCreate: async () => undefined });
    const commands = [
      { commandId: '00000000-0000-4000-8000-000000000001', command: { update: { status: 'triggered' } } },
      { commandId: '00000000-0000-4000-8000-000000000002', command: { update: { title: 'db down' } } },
    ];
    const unit = { action: 'update_incident', pdIncidentId: 'PINC1', platformIncidentId: 'p-1', commands, attempts: 0, fields: { status: 'triggered', title: 'db down' } } as unknown as WorkUnit;
    const result = await executor.execute(unit);
    expect(sent).toEqual([
      { type: 'incident_reference', status: 'triggered', title: 'db down' },
      { type: 'incident_reference', title: 'db down' },
    ]);
    expect(result.written).toEqual({ title: 'db down' });
    expect(result.refused?.keys).toEqual(['status']);
    const message = commandResultOf(unit, { integrationId: 'i', organizationId: 'o' }, 'succeeded', { written: result.written, refused: result.refused });
    expect(message.perCommand).toEqual([
      { commandId: commands[0]?.commandId, written: {}, superseded: [], refused: ['status'] },
      { commandId: commands[1]?.commandId, written: { title: 'db down' }, superseded: [] },
    ]);
  });
});

describe('a create PagerDuty refuses with 400 (issue #18: matching by dedup key)', () => {
  const KEY = '6f1c2b9e-0d1a-4c55-9a57-1b2f3e4d5c6a';
  const listedIncident = (id: string, over: Record<string, unknown> = {}) => ({
    id, type: 'incident', incident_number: 1, title: 't', status: 'triggered', urgency: 'high', incident_key: KEY,
    created_at: '2026-12-03T08:00:00Z', service: { id: 'PSVC001', type: 'service_reference' }, assignments: [], ...over,
  });
  const createUnit = { action: 'create_incident', pdIncidentId: null, platformIncidentId: KEY, attempts: 0, lookupFirst: false,
    commands: [{ commandId: '00000000-0000-4000-8000-000000000009', command: {} }],
    fields: { title: 't', serviceId: 'PSVC001', incidentKey: KEY } } as unknown as WorkUnit;
  const executorListing = (listed: unknown[]) => {
    let creates = 0;
    const client = {
      createIncident: async () => { creates += 1; throw rejected(2001, "Open incident with key '" + KEY + "' already exists for this service"); },
      listIncidents: async () => ({ data: { incidents: listed } }),
    } as unknown as PagerDutyClient;
    return { executor: new PagerDutyExecutor({ client, takeToken: async () => undefined, beforeCreate: async () => undefined }), creates: () => creates };
  };

  it('given only a keyless incident listed for our key, then nothing is linked and the refusal names the candidate', async () => {
    const { incident_key: _omitted, ...grouped } = listedIncident('QGROUPED');
    const { executor, creates } = executorListing([grouped]);
    const failure = await executor.execute(createUnit).then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(PagerDutyApiError);
    expect((failure as PagerDutyApiError).status).toBe(400);
    expect((failure as PagerDutyApiError).message).toMatch(/already exists.*only 1 without an incident_key \(QGROUPED/);
    expect(creates()).toBe(1);
  });

  it('given our incident listed after a keyless one, then ours is linked', async () => {
    const { incident_key: _omitted, ...grouped } = listedIncident('QGROUPED');
    const { executor } = executorListing([grouped, listedIncident('QOURS')]);
    expect(await executor.execute(createUnit)).toMatchObject({ pdIncidentId: 'QOURS' });
  });

  it('given nothing listed, then the refusal is PagerDuty\'s own', async () => {
    const { executor } = executorListing([]);
    const failure = await executor.execute(createUnit).then(() => null, (e: unknown) => e);
    expect((failure as Error).message).toBe("Open incident with key '" + KEY + "' already exists for this service");
  });
});
