import { checkFaultConfig, Faults } from './faults';
import { IncidentService } from './incident.service';
import { PdRenderer } from './pd-render';
import { RateLimiter } from './rate-limiter';
import { RequestLog } from './request-log';
import { loadSeed, Seed } from './seed';
import { newPdId, newWebhookSecret } from './sim-ids';
import { SimState } from './sim-state';
import { WebhookDispatcher } from './webhook-dispatcher';
import { PagerDutySimEnv, retryDelays } from './pagerduty-sim.env';
import { TokenAllowList } from './token-allow-list';

export const SIMULATOR = Symbol('SIMULATOR');

/** Composition root of one simulated PagerDuty account (one per process or per test). */
export class Simulator {
  readonly state: SimState;
  readonly render: PdRenderer;
  readonly faults = new Faults();
  readonly limiter: RateLimiter;
  readonly requests = new RequestLog();
  readonly dispatcher: WebhookDispatcher;
  readonly incidents: IncidentService;
  readonly allowTokens: TokenAllowList;
  readonly startupFaults: ReturnType<typeof checkFaultConfig>['config'];

  constructor(readonly env: PagerDutySimEnv, seed: Seed = loadSeed(env.SIM_SEED_FILE ?? undefined), publicUrl?: string) {
    this.state = new SimState(seed);
    this.render = new PdRenderer(this.state, (env.SIM_PUBLIC_URL ?? publicUrl ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, ''));
    this.limiter = new RateLimiter({ perWindow: env.SIM_RATE_LIMIT_PER_MINUTE, createPerWindow: env.SIM_CREATE_RATE_LIMIT_PER_MINUTE, windowMs: env.SIM_RATE_LIMIT_WINDOW_MS });
    this.dispatcher = new WebhookDispatcher(this.state, this.faults, { timeoutMs: env.SIM_WEBHOOK_TIMEOUT_MS, retryDelaysMs: retryDelays(env.SIM_WEBHOOK_RETRY_DELAYS_MS) });
    this.incidents = new IncidentService(this.state, this.render, (event) => this.dispatcher.publish(event));
    this.incidents.rejectResolvedEdits = env.SIM_REJECT_RESOLVED_EDITS;
    this.allowTokens = new TokenAllowList(env.SIM_ALLOW_TOKENS);
    if (env.SIM_FAULTS) {
      let parsed: unknown;
      try { parsed = JSON.parse(env.SIM_FAULTS); } catch { throw new Error('SIM_FAULTS is not valid JSON'); }
      const checked = checkFaultConfig(parsed);
      if (!checked.config) throw new Error(`SIM_FAULTS: ${checked.errors.join('; ')}`);
      this.startupFaults = checked.config;
    }
    this.reset();
  }

  /** Back to the seed: state, request and delivery logs, rate windows; faults back to SIM_FAULTS. */
  reset(): void {
    this.dispatcher.clear();
    this.state.reset();
    this.requests.clear();
    this.limiter.reset();
    if (this.startupFaults) this.faults.set(this.startupFaults, Date.now());
    else this.faults.clear();
    const seed = this.state.seed;
    for (const s of seed.webhook_subscriptions ?? []) {
      const id = s.id ?? newPdId();
      this.state.subscriptions.set(id, {
        id, url: s.url, description: s.description ?? '', events: s.events,
        filter: { type: s.filter?.type ?? 'account_reference', id: s.filter?.id ?? null },
        active: true, temporarilyDisabled: false, secrets: [s.secret ?? newWebhookSecret()], customHeaders: [], oauthClientId: null,
        consecutiveDrops: 0, createdAt: this.state.nowIso(),
      });
    }
    for (const i of seed.incidents ?? []) {
      const actor = { type: 'service' as const, id: i.service_id };
      this.incidents.create(actor, {
        title: i.title, serviceId: i.service_id, urgency: i.urgency, priority: i.priority ?? null, incidentKey: i.incident_key ?? null,
        assigneeIds: i.assignee_ids, createdAt: i.created_at, status: i.status,
      }, 'api');
    }
    // Seed incidents are history, not news: nothing is delivered for them.
    this.dispatcher.clear();
  }
}
