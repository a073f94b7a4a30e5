import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DeadLetterEnvelope, DeadLetterTopic, PagerDutyCommandResultV1, PagerDutyIncidentSummary, Topic } from '@incident-sync/contracts';
import { IntegrationLookup, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { EventPublisher } from '@incident-sync/messaging';
import { PagerDutyClient, PdIncident } from '@incident-sync/pagerduty';
import { addToOutbox } from '@incident-sync/persistence';
import { BoundedCache } from '@incident-sync/service-runtime';
import { backoffDelayMs, BackoffPolicy, rateLimitDelayMs } from './backoff';
import { planNextRequest, WorkUnit } from './coalesce-commands';
import { deterministicUuid } from '@incident-sync/contracts';
import { DispatchRepository, StoredCommand } from './dispatch.repository';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { ClassifiedFailure, classifyFailure } from './failure-classification';
import { ExecutionResult, PagerDutyExecutor } from './pagerduty-executor';
import { writtenByCreate } from './pagerduty-request-bodies';
import { TokenBucket } from './token-bucket';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * Per-integration state is bounded (issue #12). A bucket idle this long has refilled, so
 * dropping it changes nothing; the cap is far above the integrations one instance drains.
 */
const PER_INTEGRATION_ENTRIES = 10000;
const BUCKET_IDLE_MS = 10 * 60 * 1000;
/** PagerDuty clients hold a decrypted token: kept only for integrations in use, and re-made on any config change. */
const CLIENT_ENTRIES = 1000;
const CLIENT_TTL_MS = 10 * 60 * 1000;

/**
 * Drains the `pending_command` table, one worker per integration. A worker runs only while
 * this instance holds the integration's lease, so exactly one instance spends an
 * integration's tokens at a time (the Kafka partition owner normally, since it is the one
 * inserting and waking it; the lease covers rebalances and crashes — README "Scaling").
 *
 * Loop: wait until the bucket has a token, THEN read the queue and plan, so every command that
 * arrived while waiting is coalesced into the request; call PagerDuty; settle in one
 * transaction (rows done + result in the outbox) or schedule a retry, or dead-letter.
 */
@Injectable()
export class DispatchScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchScheduler.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly workers = new Map<string, Promise<void>>();
  private readonly wakers = new Map<string, () => void>();
  private readonly buckets = new BoundedCache<string, TokenBucket>({ maxEntries: PER_INTEGRATION_ENTRIES, ttlMs: BUCKET_IDLE_MS });
  private readonly clients = new BoundedCache<string, { fingerprint: string; client: PagerDutyClient }>({ maxEntries: CLIENT_ENTRIES, ttlMs: CLIENT_TTL_MS });
  private readonly consecutive429 = new BoundedCache<string, number>({ maxEntries: PER_INTEGRATION_ENTRIES, ttlMs: BUCKET_IDLE_MS });
  private pollTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly repository: DispatchRepository,
    private readonly integrations: IntegrationLookup,
    private readonly publisher: EventPublisher,
    @Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedulePoll(0);
    this.pruneTimer = setInterval(() => {
      this.repository.pruneSettled(this.settings.retentionDays).catch((e: unknown) => this.logger.warn(`pruning failed: ${String(e)}`));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    for (const wake of this.wakers.values()) wake();
    await Promise.allSettled([...this.workers.values()]);
  }

  /** A command for this integration was stored: start or wake its worker. */
  notify(integrationId: string): void {
    if (this.stopping) return;
    const wake = this.wakers.get(integrationId);
    if (wake) wake();
    else if (!this.workers.has(integrationId)) this.startWorker(integrationId);
  }

  /** The live bucket when this instance owns the integration (tokens_available in status). */
  bucketOf(integrationId: string): TokenBucket | undefined {
    return this.buckets.get(integrationId);
  }

  private schedulePoll(delay: number): void {
    if (this.stopping) return;
    this.pollTimer = setTimeout(() => {
      this.repository.integrationsWithPending()
        .then((ids) => ids.forEach((id) => { if (!this.workers.has(id)) this.startWorker(id); }))
        .catch((e: unknown) => this.logger.warn(`looking for pending commands failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => this.schedulePoll(this.settings.pollMs));
    }, delay);
  }

  private startWorker(integrationId: string): void {
    const run = this.runWorker(integrationId)
      .catch((e: unknown) => this.logger.warn(`worker for ${integrationId} stopped: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.workers.delete(integrationId);
        this.wakers.delete(integrationId);
      });
    this.workers.set(integrationId, run);
  }

  private async runWorker(integrationId: string): Promise<void> {
    if (!(await this.repository.acquireLease(integrationId, this.owner, this.settings.leaseMs))) return;
    try {
      await this.drain(integrationId);
    } finally {
      await this.repository.releaseLease(integrationId, this.owner).catch(() => undefined);
    }
  }

  private async drain(integrationId: string): Promise<void> {
    let leaseRenewedAt = Date.now();
    const renewEvery = this.settings.leaseMs / 3;
    while (!this.stopping) {
      if (Date.now() - leaseRenewedAt > renewEvery) {
        if (!(await this.repository.acquireLease(integrationId, this.owner, this.settings.leaseMs))) return;
        leaseRenewedAt = Date.now();
      }
      try {
        let config: IntegrationRuntimeConfig | null;
        try {
          config = await this.integrations.byId(integrationId);
        } catch (error) {
          this.logger.warn(`integration ${integrationId}: configuration unavailable (${error instanceof Error ? error.message : String(error)}); commands stay queued`);
          await this.sleep(integrationId, Math.max(this.settings.pollMs, 1000));
          continue;
        }
        if (config === null) {
          await this.failEverything(integrationId);
          return;
        }
        // A paused integration keeps its queue; the poller restarts the worker later.
        if (!config.enabled) return;
        const bucket = this.bucketFor(config);
        const wait = bucket.msUntilAvailable();
        if (wait > 0) {
          await this.sleep(integrationId, Math.min(wait, renewEvery));
          continue;
        }
        const pending = await this.repository.loadPending(integrationId);
        if (pending.length === 0) return;
        const known = await this.repository.knownPdIds(integrationId, [...new Set(pending.map((p) => p.platformIncidentId))]);
        const plan = planNextRequest(pending, known, Date.now());
        if (plan.kind === 'idle') return;
        if (plan.kind === 'wait') {
          await this.sleep(integrationId, Math.min(Math.max(1, plan.untilMs - Date.now()), renewEvery));
          continue;
        }
        await this.dispatch(config, bucket, plan.unit, known);
      } catch (error) {
        this.logger.warn(`integration ${integrationId}: dispatch pass failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
        await this.sleep(integrationId, Math.max(this.settings.pollMs, 1000));
      }
    }
  }

  private async dispatch(config: IntegrationRuntimeConfig, bucket: TokenBucket, unit: WorkUnit, known: ReadonlyMap<string, string>): Promise<void> {
    let requests = 0;
    const executor = new PagerDutyExecutor({
      client: this.clientFor(config),
      takeToken: async () => {
        while (!bucket.tryTake()) await delay(Math.max(1, bucket.msUntilAvailable()));
        requests += 1;
      },
      beforeCreate: (commandId) => this.repository.markCreateInFlight(commandId),
    });
    const policy: BackoffPolicy = { baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs, multiplier: config.backoffMultiplier };
    let result: ExecutionResult;
    const alreadyCreated = unit.action === 'create_incident' ? known.get(unit.platformIncidentId) : undefined;
    try {
      // A repeated create of an incident we already created answers with that incident:
      // PagerDuty would accept a second one once the first is resolved.
      result = alreadyCreated && unit.action === 'create_incident'
        ? { pdIncidentId: alreadyCreated, incident: null, written: unit.fields ? writtenByCreate(unit.fields) : undefined }
        : await executor.execute(unit);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'rate_limited') {
        const n = (this.consecutive429.get(config.id) ?? 0) + 1;
        this.consecutive429.set(config.id, n);
        const wait = rateLimitDelayMs(failure.rateLimitResetSeconds, n, policy);
        bucket.pause(wait);
        this.logger.warn(`integration ${config.id}: PagerDuty answered 429; pausing ${wait} ms`);
        await this.repository.recordOutcome(config.id, { rateLimited: true, error: failure.message, requests });
        return;
      }
      const attempts = unit.attempts + 1;
      if (failure.kind === 'transient' && attempts < this.settings.maxAttempts) {
        const wait = backoffDelayMs(attempts, policy);
        await this.repository.scheduleRetry(unit.commands.map((c) => c.commandId), new Date(Date.now() + wait), failure.message, unit.action === 'create_incident' && failure.outcomeUnknown);
        await this.repository.recordOutcome(config.id, { error: failure.message, requests });
        this.logger.warn(`integration ${config.id}: ${unit.action} attempt ${attempts} failed (${failure.message}); retrying in ${wait} ms`);
        return;
      }
      await this.deadLetter(config, unit, failure, failure.kind === 'transient', requests);
      return;
    }
    this.consecutive429.set(config.id, 0);
    const message = this.resultOf(config, unit, 'succeeded', { pdIncidentId: result.pdIncidentId, written: result.written, incident: summaryOf(result.incident, result.pdIncidentId) });
    await this.repository.transaction(async (em) => {
      await this.repository.settle(em, unit.commands.map((c) => c.commandId), 'done', message.resultId, null);
      if (unit.action === 'create_incident') await this.repository.rememberCreated(em, config.id, unit.platformIncidentId, result.pdIncidentId);
      await addToOutbox(em, Topic.PagerDutyCommandResults, message);
      await this.repository.recordOutcome(config.id, { success: true, requests }, em);
    });
  }

  /**
   * Permanent failure or retries exhausted: every command of the unit goes to
   * `pagerduty.commands.v1.dlq` as it was received, with PagerDuty's message and error body,
   * and the sync-engine gets a `failed` result. The DLQ is published first (ids derived from
   * the command ids, so a crash before the commit only repeats the same dead letters), then
   * the rows, the result (outbox) and the counters commit together.
   */
  private async deadLetter(config: IntegrationRuntimeConfig, unit: WorkUnit, failure: ClassifiedFailure, exhausted: boolean, requests: number): Promise<void> {
    const code = exhausted ? 'RETRIES_EXHAUSTED' : failure.code;
    const errorMessage = `${exhausted ? `gave up after ${unit.attempts + 1} attempts: ` : ''}${failure.message}${failure.body ? `; PagerDuty error body: ${JSON.stringify(failure.body)}` : ''}`;
    const now = new Date().toISOString();
    const commands = unit.commands as StoredCommand[];
    await Promise.all(commands.map((c) => {
      const envelope: DeadLetterEnvelope = {
        deadLetterId: deterministicUuid(`pagerduty.commands.v1.dlq:${c.commandId}`),
        originalTopic: Topic.PagerDutyCommands,
        key: config.id,
        payload: c.payload,
        headers: c.headers,
        errorCode: code,
        errorMessage,
        retryable: exhausted,
        attempts: c.attempts + 1,
        firstFailedAt: (c.firstFailedAt ? new Date(c.firstFailedAt) : new Date()).toISOString(),
        lastFailedAt: now,
        consumerGroup: this.settings.consumerGroup,
        partition: c.sourcePartition,
        offset: c.sourceOffset,
        organizationId: c.organizationId,
      };
      return this.publisher.publish(DeadLetterTopic.PagerDutyCommands, envelope);
    }));
    const message = this.resultOf(config, unit, 'failed', {
      pdIncidentId: 'pdIncidentId' in unit ? unit.pdIncidentId : null,
      error: { code, message: errorMessage, ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}), ...(failure.body ? { body: failure.body } : {}) },
    });
    await this.repository.transaction(async (em) => {
      await this.repository.settle(em, commands.map((c) => c.commandId), 'failed', message.resultId, errorMessage);
      await addToOutbox(em, Topic.PagerDutyCommandResults, message);
      await this.repository.recordOutcome(config.id, { error: errorMessage, deadLettered: commands.length, requests }, em);
    });
    this.logger.warn(`integration ${config.id}: dead-lettered ${commands.length} ${unit.action} command(s): ${code}`);
  }

  /** The integration was deleted: nothing can be sent, so its queue goes to the DLQ (not lost). */
  private async failEverything(integrationId: string): Promise<void> {
    const pending = await this.repository.loadPending(integrationId, 100000);
    const byIncident = new Map<string, StoredCommand[]>();
    for (const c of pending) byIncident.set(c.platformIncidentId, [...(byIncident.get(c.platformIncidentId) ?? []), c]);
    const failure: ClassifiedFailure = { kind: 'permanent', code: 'INTEGRATION_NOT_FOUND', outcomeUnknown: false, httpStatus: null, message: `integration ${integrationId} no longer exists`, body: null, rateLimitResetSeconds: null };
    const config = { id: integrationId } as IntegrationRuntimeConfig;
    for (const commands of byIncident.values()) {
      for (const c of commands) {
        const unit: WorkUnit = c.action === 'create_incident'
          ? { action: 'create_incident', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, fields: c.command.create, lookupFirst: false }
          : c.action === 'add_note'
            ? { action: 'add_note', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, pdIncidentId: c.pdIncidentId, content: c.command.note?.content }
            : { action: 'update_incident', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, pdIncidentId: c.pdIncidentId, fields: c.command.update ?? {} };
        await this.deadLetter(config, unit, failure, false, 0);
      }
    }
  }

  private resultOf(config: IntegrationRuntimeConfig, unit: WorkUnit, outcome: 'succeeded' | 'failed', extra: Partial<PagerDutyCommandResultV1>): PagerDutyCommandResultV1 {
    const first = unit.commands[0] as StoredCommand;
    return {
      resultId: randomUUID(),
      commandIds: unit.commands.map((c) => c.commandId),
      organizationId: first.organizationId,
      integrationId: config.id,
      platformIncidentId: unit.platformIncidentId,
      pdIncidentId: null,
      action: unit.action,
      outcome,
      completedAt: new Date().toISOString(),
      ...extra,
    };
  }

  private bucketFor(config: IntegrationRuntimeConfig): TokenBucket {
    const rate = Math.max(1, config.rateLimitPerMinute);
    const bucket = this.buckets.get(config.id) ?? new TokenBucket(rate);
    bucket.setRate(rate);
    // Set again on every use: the idle TTL counts from the last use.
    this.buckets.set(config.id, bucket);
    return bucket;
  }

  private clientFor(config: IntegrationRuntimeConfig): PagerDutyClient {
    const fingerprint = `${config.version}|${config.updatedAt}|${config.baseUrl}|${config.fromEmail ?? ''}`;
    const cached = this.clients.get(config.id);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const client = new PagerDutyClient({ baseUrl: config.baseUrl, token: config.token, fromEmail: config.fromEmail, timeoutMs: this.settings.requestTimeoutMs });
    this.clients.set(config.id, { fingerprint, client });
    return client;
  }

  private sleep(integrationId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.set(integrationId, done);
    });
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function summaryOf(incident: PdIncident | null, id: string): PagerDutyIncidentSummary {
  if (!incident) return { id };
  const summary: PagerDutyIncidentSummary = { id: incident.id };
  if (typeof incident.incident_number === 'number') summary.number = incident.incident_number;
  if (incident.html_url) summary.htmlUrl = incident.html_url;
  if (incident.status) summary.status = incident.status;
  if (incident.urgency) summary.urgency = incident.urgency;
  if (incident.updated_at) summary.updatedAt = incident.updated_at;
  return summary;
}
