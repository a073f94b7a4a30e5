import { PagerDutyCommandV1, PagerDutyRefusal, PagerDutyUpdateFields } from '@incident-sync/contracts';
import { PagerDutyApiError, PagerDutyClient, PdIncident, UpdateIncidentBody } from '@incident-sync/pagerduty';
import { WorkUnit } from './coalesce-commands';
import { findOurIncident, keylessListed, SentCreate, unrecoveredCreateMessage } from './create-recovery';
import { CommandRejectedError } from './failure-classification';
import { createIncidentBody, updateIncidentBody, writtenByCreate } from './pagerduty-request-bodies';

export interface ExecutionResult {
  pdIncidentId: string;
  incident: PdIncident | null;
  written?: PagerDutyUpdateFields;
  /** Part of the write PagerDuty refused while the rest was stored (statusRefused below). */
  refused?: PagerDutyRefusal;
}

export interface ExecutionContext {
  client: PagerDutyClient;
  /** Waits for and spends one token of the integration's bucket: called before EVERY request. */
  takeToken: () => Promise<void>;
  /** Persists "a create is about to be sent" so a crash mid-request is treated as unknown outcome. */
  beforeCreate: (commandId: string) => Promise<void>;
}

/**
 * Performs one work unit against PagerDuty. Creates are idempotent: incident_key is the
 * platform incident id, and whenever a create's outcome is unknown (timeout, network error,
 * 5xx, a crash mid-request) or PagerDuty refuses a duplicate key (400, FACTS §2.3), the
 * incident is looked up with `GET /incidents?incident_key=…&date_range=all` first, so a
 * retry never opens a second PagerDuty incident. Only an incident whose own incident_key is
 * ours counts (create-recovery.ts): that listing also returns other people's keyless incidents.
 * Found none: an unknown outcome is created (PagerDuty's duplicate-key 400 guards it), a 400
 * stays a refusal naming the keyless candidates (reasoning in create-recovery.ts).
 */
export class PagerDutyExecutor {
  constructor(private readonly ctx: ExecutionContext) {}

  async execute(unit: WorkUnit): Promise<ExecutionResult> {
    switch (unit.action) {
      case 'create_incident':
        return this.create(unit);
      case 'update_incident': {
        const id = await this.pdIdOf(unit.pdIncidentId, unit.platformIncidentId);
        const body = updateIncidentBody(unit.fields);
        if (Object.keys(body).length === 1) return { pdIncidentId: id, incident: null, written: {} };
        // A reassignment (or a new escalation policy) triggers an acknowledged incident again, so
        // an acknowledgement sent in the same request may not survive it: the assignment goes
        // first, then the acknowledgement, each as its own request (fault tier, seed 1024663032).
        if (body.status === 'acknowledged' && (body.assignments !== undefined || body.escalation_policy !== undefined)) {
          const { status: _ack, ...assignment } = body;
          await this.update(id, assignment, unit.fields);
          return this.update(id, { type: 'incident_reference', status: 'acknowledged' }, unit.fields);
        }
        return this.update(id, body, unit.fields);
      }
      case 'add_note': {
        if (!unit.content) throw new CommandRejectedError('INVALID_COMMAND', 'add_note command has no note content');
        const id = await this.pdIdOf(unit.pdIncidentId, unit.platformIncidentId);
        await this.ctx.takeToken();
        await this.ctx.client.addNote(id, unit.content);
        return { pdIncidentId: id, incident: null };
      }
    }
  }

  /** One PUT; refused over its status (already held, or a transition PagerDuty does not offer), the rest is sent again without it. */
  private async update(id: string, body: UpdateIncidentBody, written: PagerDutyUpdateFields): Promise<ExecutionResult> {
    await this.ctx.takeToken();
    try {
      const response = await this.ctx.client.updateIncident(id, body);
      return { pdIncidentId: id, incident: response.data.incident ?? null, written };
    } catch (error) {
      const refusal = statusRefused(error, body.status);
      if (!statusAlreadyHeld(error, body.status) && refusal === null) throw error;
      // PagerDuty refuses the whole request because of its status: the incident already has it
      // (1002 Already Acknowledged, 1001 Already Resolved; FACTS §2.6), so the status holds; or
      // it is a transition the REST API does not offer (1003: acknowledged back to triggered),
      // which no retry can make, so it is reported as refused. Either way the rest of the write
      // is sent again without the status instead of being dead-lettered.
      const { status: _held, ...rest } = body;
      const kept = refusal === null ? written : withoutStatus(written);
      const refused = refusal === null ? {} : { refused: refusal };
      if (Object.keys(rest).length === 1) return { pdIncidentId: id, incident: null, written: kept, ...refused };
      await this.ctx.takeToken();
      const response = await this.ctx.client.updateIncident(id, rest);
      return { pdIncidentId: id, incident: response.data.incident ?? null, written: kept, ...refused };
    }
  }

  private async create(unit: Extract<WorkUnit, { action: 'create_incident' }>): Promise<ExecutionResult> {
    const fields = unit.fields;
    const command = unit.commands[0] as { commandId: string; command: PagerDutyCommandV1 };
    if (!fields) throw new CommandRejectedError('INVALID_COMMAND', 'create_incident command has no create fields');
    const written = writtenByCreate(fields);
    if (unit.lookupFirst) {
      const existing = await this.findOurs({ incidentKey: fields.incidentKey, serviceId: fields.serviceId });
      if (existing) return { pdIncidentId: existing.id, incident: existing, written };
    }
    await this.ctx.beforeCreate(command.commandId);
    await this.ctx.takeToken();
    try {
      const response = await this.ctx.client.createIncident(createIncidentBody(fields));
      return { pdIncidentId: response.data.incident.id, incident: response.data.incident, written };
    } catch (error) {
      // A duplicate incident_key on an open incident is a 400: it may be ours from an earlier try.
      if (error instanceof PagerDutyApiError && error.status === 400) {
        const sent = { incidentKey: fields.incidentKey, serviceId: fields.serviceId };
        const listed = await this.listByKey(sent.incidentKey);
        const existing = findOurIncident(listed, sent);
        if (existing) return { pdIncidentId: existing.id, incident: existing, written };
        // Never ours without our key: the refusal stands, naming the keyless candidates (create-recovery.ts).
        throw new PagerDutyApiError(unrecoveredCreateMessage(error.message, sent, keylessListed(listed)), error.status, error.pdCode, error.retryable, error.rateLimitResetSeconds, error.body);
      }
      throw error;
    }
  }

  /** Updates and notes sent before the create's result was known find the incident by its key. */
  private async pdIdOf(known: string | null, platformIncidentId: string): Promise<string> {
    if (known) return known;
    const existing = await this.findOurs({ incidentKey: platformIncidentId });
    if (!existing) throw new CommandRejectedError('PD_INCIDENT_UNKNOWN', `no PagerDuty incident is known for platform incident ${platformIncidentId} (none has incident_key ${platformIncidentId})`);
    return existing.id;
  }

  /** The listing also holds keyless incidents whose child alerts carry the key: never ours (create-recovery.ts). */
  private async findOurs(sent: SentCreate): Promise<PdIncident | null> {
    return findOurIncident(await this.listByKey(sent.incidentKey), sent);
  }

  private async listByKey(incidentKey: string): Promise<PdIncident[]> {
    await this.ctx.takeToken();
    const response = await this.ctx.client.listIncidents({ incident_key: incidentKey, date_range: 'all' });
    return response.data.incidents;
  }
}

/**
 * A 400 1003 Invalid Status Provided for `triggered`: PagerDuty's REST API cannot take an
 * acknowledged incident back to triggered (only a responder can unacknowledge; `triggered` is
 * accepted only to reopen a resolved incident). Null for anything else.
 */
export function statusRefused(error: unknown, status: string | undefined): PagerDutyRefusal | null {
  if (!(error instanceof PagerDutyApiError) || error.status !== 400 || error.pdCode !== 1003 || status !== 'triggered') return null;
  return { keys: ['status'], reason: 'PagerDuty cannot set an acknowledged incident back to triggered over its API (400 1003 Invalid Status Provided); only a responder can unacknowledge it' };
}

function withoutStatus(fields: PagerDutyUpdateFields): PagerDutyUpdateFields {
  const { status: _refused, ...rest } = fields;
  return rest;
}

/** A 400 saying the incident already has the status the request set (PagerDuty codes 1002, 1001). */
export function statusAlreadyHeld(error: unknown, status: string | undefined): boolean {
  if (!(error instanceof PagerDutyApiError) || error.status !== 400 || status === undefined) return false;
  return (error.pdCode === 1002 && status === 'acknowledged') || (error.pdCode === 1001 && status === 'resolved');
}
