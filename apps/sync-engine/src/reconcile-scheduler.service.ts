import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReconcileService } from './reconcile.service';

export const RECONCILE_TICK_MS = Symbol('RECONCILE_TICK_MS');
/** Passes one replica runs at once. A pass mostly waits for its own integration's budget, so this bounds open work, not CPU. */
export const MAX_CONCURRENT_PASSES = 8;

/**
 * Runs every linked integration's reconcile pass every `reconcile_interval_seconds` (issue #14).
 * Every replica ticks; the lease on the integration's schedule row lets exactly one of them run
 * a due pass, and a pass sets the next one an interval after it ends. Disabled integrations
 * are skipped (their schedule stays due: they reconcile as soon as they are enabled).
 *
 * Passes run side by side (up to MAX_CONCURRENT_PASSES per replica), each paced by its own
 * integration's budget: one integration's long pass (a busy PagerDuty account's log scan can
 * outlast the interval) never holds back another's.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly passes = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly reconcile: ReconcileService, @Inject(RECONCILE_TICK_MS) private readonly tickMs: number) {}

  onApplicationBootstrap(): void {
    if (this.tickMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.passes.values()]);
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.logger.warn({ msg: 'reconcile tick failed', error: error instanceof Error ? error.message : String(error) }))
        .finally(() => this.schedule());
    }, this.tickMs);
  }

  /** Starts a pass for each due integration that has none running here (it does not wait for them). */
  async tick(): Promise<void> {
    for (const integrationId of await this.reconcile.candidates()) {
      if (this.stopping || this.passes.size >= MAX_CONCURRENT_PASSES) return;
      if (this.passes.has(integrationId)) continue;
      const pass = this.reconcile.scheduled(integrationId)
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ msg: 'scheduled reconcile pass failed', integrationId, error: error instanceof Error ? error.message : String(error) }))
        .finally(() => this.passes.delete(integrationId));
      this.passes.set(integrationId, pass);
    }
  }

  /** Passes running in this replica now (for tests and status). */
  runningPasses(): string[] {
    return [...this.passes.keys()];
  }
}
