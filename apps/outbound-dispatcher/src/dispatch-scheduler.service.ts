import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { IntegrationLookup, IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { planNextRequest } from './coalesce-commands';
import { DispatchRepository } from './dispatch.repository';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { drainDeletedIntegration } from './integration-drain';
import { IntegrationLease } from './integration-lease';
import { IntegrationLeaseRepository } from './integration-lease.repository';
import { PagerDutyClients } from './pagerduty-clients';
import { UnitDispatcher } from './unit-dispatch.service';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * The worker pool: one worker per integration, running only while this instance holds the
 * integration's fenced lease (integration-lease.ts), so exactly one instance spends an
 * integration's tokens at a time (the Kafka partition owner normally, since it is the one
 * inserting and waking it; the lease covers rebalances and crashes — README "Fenced leases").
 *
 * Loop: wait until the bucket has a token, THEN read the queue and plan, so every command that
 * arrived while waiting is coalesced into the request; hand the unit to UnitDispatcher
 * (fence, send, settle or park / pause / dead-letter).
 */
@Injectable()
export class DispatchScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchScheduler.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly workers = new Map<string, Promise<void>>();
  private readonly wakers = new Map<string, () => void>();
  private pollTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly repository: DispatchRepository,
    private readonly leases: IntegrationLeaseRepository,
    private readonly integrations: IntegrationLookup,
    private readonly clients: PagerDutyClients,
    private readonly units: UnitDispatcher,
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
    const acquired = await IntegrationLease.acquire(integrationId, this.owner, this.leases, this.repository,
      { leaseMs: this.settings.leaseMs, requestTimeoutMs: this.settings.requestTimeoutMs }, () => this.wakers.get(integrationId)?.());
    if (!acquired) return;
    const { lease, pausedUntil } = acquired;
    try {
      await this.drain(integrationId, lease, pausedUntil);
    } finally {
      await lease.release();
    }
  }

  private async drain(integrationId: string, lease: IntegrationLease, inheritedPause: Date | null): Promise<void> {
    const napMs = Math.max(100, this.settings.leaseMs / 3);
    let pauseToApply = inheritedPause;
    while (!this.stopping && !lease.lost) {
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
          // The integration was deleted: nothing can be sent, so its queue goes to the DLQ (not lost).
          await drainDeletedIntegration(integrationId, lease, this.repository, this.units);
          return;
        }
        // A paused (disabled) integration keeps its queue; the poller restarts the worker later.
        if (!config.enabled) return;
        const bucket = this.clients.bucketFor(config);
        // A 429 pause set by the previous holder of the lease still applies.
        if (pauseToApply) bucket.pause(pauseToApply.getTime() - Date.now());
        pauseToApply = null;
        const wait = bucket.msUntilAvailable();
        if (wait > 0) {
          await this.sleep(integrationId, Math.min(wait, napMs));
          continue;
        }
        const pending = await this.repository.loadPending(integrationId, lease.token);
        if (pending.length === 0) return;
        const known = await this.repository.knownPdIds(integrationId, [...new Set(pending.map((p) => p.platformIncidentId))]);
        const plan = planNextRequest(pending, known, Date.now());
        if (plan.kind === 'idle') return;
        if (plan.kind === 'wait') {
          await this.sleep(integrationId, Math.min(Math.max(1, plan.untilMs - Date.now()), napMs));
          continue;
        }
        await this.units.dispatch(config, lease, bucket, plan.unit, known);
      } catch (error) {
        this.logger.warn(`integration ${integrationId}: dispatch pass failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
        await this.sleep(integrationId, Math.max(this.settings.pollMs, 1000));
      }
    }
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
