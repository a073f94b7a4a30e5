import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, UseFilters } from '@nestjs/common';
import { Public } from '@incident-sync/service-runtime';
import { checkFaultConfig } from './faults';
import { UpdateIncidentInput } from './incident.service';
import { PdError } from './pd-error';
import { PdJson } from './pd-render';
import { PdErrorFilter } from './sim-http';
import { newWebhookSecret } from './sim-ids';
import { Actor, SimIncident } from './sim-model';
import { SIMULATOR, Simulator } from './simulator';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const seqParam = (v: unknown): number => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0);

/**
 * `alert_keys`: the new incident groups child alerts with these alert_keys, so it has no
 * incident_key of its own (FACTS §2.2), yet matches `GET /incidents?incident_key=` for each.
 */
function alertKeysOf(body: Obj): string[] | undefined {
  if (body.alert_keys === undefined) return undefined;
  if (!Array.isArray(body.alert_keys) || body.alert_keys.length === 0 || !body.alert_keys.every((k) => str(k) !== undefined)) {
    throw PdError.invalidInput('alert_keys must be a non-empty array of non-empty strings');
  }
  if (body.incident_key !== undefined) throw PdError.invalidInput('alert_keys and incident_key exclude each other: an incident with child alerts has no incident_key');
  return body.alert_keys as string[];
}

const ACTIONS = ['acknowledge', 'unacknowledge', 'resolve', 'reopen', 'reassign', 'delegate', 'escalate', 'priority', 'urgency', 'notes', 'merge'] as const;
type PersonAction = (typeof ACTIONS)[number];

/**
 * The simulator's own control API (not PagerDuty's): simulated responders acting as in
 * PagerDuty's UI, request and delivery logs, fault injection, rate limits, secret rotation,
 * reset and a state dump. No authentication: it is a local test tool.
 */
@Public()
@UseFilters(PdErrorFilter)
@Controller('sim')
export class SimControlController {
  constructor(@Inject(SIMULATOR) private readonly sim: Simulator) {}

  /** `as` (an email) names the responder; by default the first assignee, else the first non-bot user. */
  private person(body: Obj, incident?: SimIncident): Actor {
    const as = str(body.as);
    if (as) {
      const user = this.sim.state.userByEmail(as) ?? this.sim.state.user(as);
      if (!user) throw PdError.invalidInput(`No user ${as} in the simulated account`);
      return { type: 'user', id: user.id };
    }
    const assignee = incident?.assignments[0]?.userId;
    if (assignee) return { type: 'user', id: assignee };
    const fallback = this.sim.state.seed.users.find((u) => !u.email.startsWith('incident-sync-bot')) ?? this.sim.state.seed.users[0];
    if (!fallback) throw PdError.invalidInput('The seed has no users');
    return { type: 'user', id: fallback.id };
  }

  /**
   * A new incident triggered in the UI by a person (`as`), or by its service when `as` is absent
   * (a monitoring integration); with `alert_keys`, an incident that grouped those child alerts.
   */
  @Post('incidents')
  @HttpCode(201)
  trigger(@Body() raw: unknown): PdJson {
    const body = isObj(raw) ? raw : {};
    const serviceId = str(body.service_id) ?? this.sim.state.seed.services[0]?.id;
    if (!serviceId) throw PdError.invalidInput('service_id is required');
    const actor: Actor = str(body.as) ? this.person(body) : { type: 'service', id: serviceId };
    const assigneeIds = Array.isArray(body.assignee_ids) ? body.assignee_ids.filter((x): x is string => typeof x === 'string') : str(body.assignee_id) ? [body.assignee_id as string] : undefined;
    const urgency = body.urgency === 'low' || body.urgency === 'high' ? body.urgency : undefined;
    const alertKeys = alertKeysOf(body);
    const incident = this.sim.incidents.create(actor, {
      title: str(body.title) ?? 'Simulated incident',
      serviceId,
      urgency,
      priority: str(body.priority) ?? null,
      incidentKey: str(body.incident_key) ?? null,
      alertKeys,
      details: str(body.details) ?? null,
      assigneeIds,
      escalationPolicyId: str(body.escalation_policy_id),
    }, 'website');
    return { incident: this.sim.render.incident(incident) };
  }

  @Post('incidents/:id/:action')
  @HttpCode(200)
  act(@Param('id') id: string, @Param('action') action: string, @Body() raw: unknown): PdJson {
    if (!ACTIONS.includes(action as PersonAction)) throw PdError.notFound(`Unknown action ${action}; one of ${ACTIONS.join(', ')}`);
    const body = isObj(raw) ? raw : {};
    const incident = this.sim.incidents.get(id);
    const actor = this.person(body, incident);
    if (action === 'notes') {
      const content = str(body.content);
      if (!content) throw PdError.invalidInput('content is required');
      return { note: this.sim.render.note(this.sim.incidents.addNote(actor, id, content, 'website')) };
    }
    if (action === 'merge') {
      // A responder merges `source_ids` into this incident in the UI.
      const sources = Array.isArray(body.source_ids) ? body.source_ids.filter((x): x is string => typeof x === 'string') : [];
      if (sources.length === 0) throw PdError.invalidInput('source_ids must be a non-empty array of incident ids');
      return { incident: this.sim.render.incident(this.sim.incidents.merge(actor, id, sources, 'website')) };
    }
    const patch: UpdateIncidentInput = {};
    switch (action as Exclude<PersonAction, 'notes' | 'merge'>) {
      case 'acknowledge': patch.status = 'acknowledged'; break;
      case 'unacknowledge': patch.status = 'triggered'; break;
      case 'resolve': patch.status = 'resolved'; break;
      case 'reopen': {
        if (incident.status !== 'resolved') throw PdError.invalidInput('Only a resolved incident can be reopened');
        patch.status = body.status === 'acknowledged' ? 'acknowledged' : 'triggered';
        break;
      }
      case 'reassign': {
        const ids = Array.isArray(body.user_ids) ? body.user_ids.filter((x): x is string => typeof x === 'string') : str(body.user_id) ? [body.user_id as string] : [];
        const byEmail = str(body.user_email) ? this.sim.state.userByEmail(body.user_email as string)?.id : undefined;
        patch.assigneeIds = byEmail ? [byEmail] : ids;
        break;
      }
      case 'delegate': {
        const ep = str(body.escalation_policy_id);
        if (!ep) throw PdError.invalidInput('escalation_policy_id is required');
        patch.escalationPolicyId = ep;
        break;
      }
      case 'escalate': patch.escalationLevel = typeof body.level === 'number' ? body.level : incident.escalationLevel + 1; break;
      case 'priority': patch.priority = body.priority === null ? null : str(body.priority) ?? str(body.priority_id) ?? null; break;
      case 'urgency': {
        if (body.urgency !== 'high' && body.urgency !== 'low') throw PdError.invalidInput('urgency must be high or low');
        patch.urgency = body.urgency;
        break;
      }
    }
    return { incident: this.sim.render.incident(this.sim.incidents.update(actor, id, patch, 'website', 'person')) };
  }

  @Get('requests')
  requests(@Query('since') since: unknown): PdJson {
    return { requests: this.sim.requests.since(seqParam(since)), last_seq: this.sim.requests.lastSeq() };
  }

  @Delete('requests')
  @HttpCode(204)
  clearRequests(): void {
    this.sim.requests.clear();
  }

  @Get('deliveries')
  deliveries(@Query('since') since: unknown): PdJson {
    return { deliveries: this.sim.dispatcher.deliveries(seqParam(since)), last_seq: this.sim.dispatcher.lastSeq(), pending: this.sim.dispatcher.pending() };
  }

  @Get('faults')
  getFaults(): PdJson {
    return { faults: this.sim.faults.current(Date.now()) };
  }

  @Put('faults')
  setFaults(@Body() body: unknown): PdJson {
    const checked = checkFaultConfig(body ?? {});
    if (!checked.config) throw PdError.invalidInput(...checked.errors);
    this.sim.faults.set(checked.config, Date.now());
    return { faults: this.sim.faults.current(Date.now()) };
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.sim.faults.clear();
  }

  /**
   * `{"abilities":["teams","urgencies",…]}`: the account's abilities (GET /abilities) until the
   * next reset. Without `priorities` the account has no priorities: GET /priorities answers
   * 402 Missing Account Ability, and a write naming a priority 400 Invalid Priority (1020).
   */
  @Get('account')
  getAccount(): PdJson {
    return { account: { abilities: this.sim.state.abilities } };
  }

  @Put('account')
  setAccount(@Body() raw: unknown): PdJson {
    const body = isObj(raw) ? raw : {};
    const unknown = Object.keys(body).filter((k) => k !== 'abilities');
    if (unknown.length) throw PdError.invalidInput(`unknown account option ${unknown.join(', ')}; only abilities`);
    const abilities = body.abilities;
    if (!Array.isArray(abilities) || !abilities.every((a) => str(a) !== undefined)) throw PdError.invalidInput('abilities must be an array of ability names (strings)');
    this.sim.state.abilities = [...new Set(abilities as string[])];
    return this.getAccount();
  }

  /** `{"per_window":960,"create_per_window":300,"window_ms":60000}`; counters restart. */
  @Put('rate_limits')
  setRateLimits(@Body() raw: unknown): PdJson {
    const body = isObj(raw) ? raw : {};
    const limits = { ...this.sim.limiter.limits };
    for (const [key, field, min] of [['per_window', 'perWindow', 1], ['create_per_window', 'createPerWindow', 1], ['window_ms', 'windowMs', 100]] as const) {
      const v = body[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw PdError.invalidInput(`${key} must be an integer ≥ ${min}`);
      limits[field] = v;
    }
    this.sim.limiter.limits = limits;
    this.sim.limiter.reset();
    return { rate_limits: { per_window: limits.perWindow, create_per_window: limits.createPerWindow, window_ms: limits.windowMs } };
  }

  /** `{"retry_delays_ms":[50,100],"timeout_ms":1000}`: the delivery schedule for new attempts. */
  @Put('webhooks')
  setWebhookOptions(@Body() raw: unknown): PdJson {
    const body = isObj(raw) ? raw : {};
    const options = { ...this.sim.dispatcher.options };
    if (body.retry_delays_ms !== undefined) {
      if (!Array.isArray(body.retry_delays_ms) || !body.retry_delays_ms.every((d) => typeof d === 'number' && d >= 0)) throw PdError.invalidInput('retry_delays_ms must be an array of milliseconds');
      options.retryDelaysMs = body.retry_delays_ms as number[];
    }
    if (body.timeout_ms !== undefined) {
      if (typeof body.timeout_ms !== 'number' || body.timeout_ms < 1) throw PdError.invalidInput('timeout_ms must be a positive number');
      options.timeoutMs = body.timeout_ms;
    }
    this.sim.dispatcher.options = options;
    return { webhooks: { retry_delays_ms: options.retryDelaysMs, timeout_ms: options.timeoutMs } };
  }

  /** Adds a secret: deliveries are signed with every active secret until finish_rotation. */
  @Post('webhook_subscriptions/:id/rotate_secret')
  @HttpCode(200)
  rotate(@Param('id') id: string): PdJson {
    const sub = this.sim.state.subscriptions.get(id);
    if (!sub) throw PdError.notFound('Webhook Subscription Not Found');
    const secret = newWebhookSecret();
    sub.secrets.push(secret);
    return { subscription_id: id, secret, active_secrets: sub.secrets.length };
  }

  /**
   * What PagerDuty does after 3 consecutive dropped deliveries (FACTS §1.5): the subscription is
   * temporarily disabled (`delivery_method.temporarily_disabled: true`, nothing is delivered or
   * queued) until `POST /webhook_subscriptions/{id}/enable`.
   */
  @Post('webhook_subscriptions/:id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string): PdJson {
    const sub = this.sim.state.subscriptions.get(id);
    if (!sub) throw PdError.notFound('Webhook Subscription Not Found');
    sub.temporarilyDisabled = true;
    return { webhook_subscription: this.sim.render.subscription(sub) };
  }

  /** Keeps only the newest secret. */
  @Post('webhook_subscriptions/:id/finish_rotation')
  @HttpCode(200)
  finishRotation(@Param('id') id: string): PdJson {
    const sub = this.sim.state.subscriptions.get(id);
    if (!sub) throw PdError.notFound('Webhook Subscription Not Found');
    sub.secrets = sub.secrets.slice(-1);
    return { subscription_id: id, active_secrets: sub.secrets.length };
  }

  @Post('reset')
  @HttpCode(200)
  reset(): PdJson {
    this.sim.reset();
    return { status: 'reset' };
  }

  /** Everything, for debugging; secrets are not shown. */
  @Get('state')
  state(): PdJson {
    const s = this.sim.state;
    return {
      incidents: [...s.incidents.values()].map((i) => this.sim.render.incident(i)),
      notes: Object.fromEntries([...s.notes].map(([k, v]) => [k, v.map((n) => this.sim.render.note(n))])),
      log_entries: s.logEntries.length,
      webhook_subscriptions: [...s.subscriptions.values()].map((sub) => ({ ...this.sim.render.subscription(sub), consecutive_drops: sub.consecutiveDrops, active_secrets: sub.secrets.length })),
      pending_deliveries: this.sim.dispatcher.pending(),
      faults: this.sim.faults.current(Date.now()),
      rate_limits: this.sim.limiter.limits,
      seed: { users: s.seed.users, services: s.seed.services, escalation_policies: s.seed.escalation_policies, schedules: s.seed.schedules, priorities: s.seed.priorities, teams: s.seed.teams },
    };
  }
}
