import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReconcileService } from './reconcile.service';

export const RECONCILE_TICK_MS = Symbol('RECONCILE_TICK_MS');

/**
 * Runs every linked integration's reconcile pass every `reconcile_interval_seconds` (issue #14).
 * Every replica ticks; the lease on the integration's schedule row lets exactly one of them run
 * a due pass, and a pass sets the next one an interval after it ends. Disabled integrations
 * are skipped (their schedule stays due: they reconcile as soon as they are enabled).
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly reconcile: ReconcileService, @Inject(RECONCILE_TICK_MS) private readonly tickMs: number) {}

  onApplicationBootstrap(): void {
    if (this.tickMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ msg: 'reconcile tick failed', error: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.tickMs);
  }

  /** Due integrations run one after another: passes are paced to their budget, not to this loop. */
  async tick(): Promise<void> {
    for (const integrationId of await this.reconcile.candidates()) {
      if (this.stopping) return;
      try {
        await this.reconcile.scheduled(integrationId);
      } catch (error) {
        this.logger.warn({ msg: 'scheduled reconcile pass failed', integrationId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
