import { Logger } from '@nestjs/common';
import { DispatchRepository } from './dispatch.repository';
import { IntegrationLeaseRepository } from './integration-lease.repository';

/** Time a claimed row stays reserved beyond the request timeout (a slow settle, clock skew). */
const CLAIM_MARGIN_MS = 5000;

export interface LeaseTiming {
  leaseMs: number;
  requestTimeoutMs: number;
}

/**
 * One worker's hold on an integration (README "Fenced leases"). Acquiring yields a fencing
 * token; a heartbeat renews the lease every leaseMs/3 independently of the work (a worker
 * waiting for tokens or backoff keeps it), and `lost` turns true the moment a renewal finds
 * the token moved on. `fence(rows)` is called before every PagerDuty request: it claims the
 * rows under the token in the same statement that checks the lease, so a stale holder never
 * sends, and a claimed row is not sent by anyone else until the claim ends.
 */
export class IntegrationLease {
  private readonly logger = new Logger(IntegrationLease.name);
  private heartbeat: NodeJS.Timeout | null = null;
  private lostLease = false;

  private constructor(
    readonly integrationId: string,
    readonly owner: string,
    readonly token: string,
    private readonly leases: IntegrationLeaseRepository,
    private readonly queue: DispatchRepository,
    private readonly timing: LeaseTiming,
    onLost: () => void,
  ) {
    this.heartbeat = setInterval(() => {
      this.leases.renew(integrationId, owner, token, timing.leaseMs)
        .then((held) => {
          if (held || this.lostLease) return;
          this.lostLease = true;
          this.logger.warn(`integration ${integrationId}: lease token ${token} was taken over; this worker stops`);
          onLost();
        })
        .catch((e: unknown) => this.logger.warn(`integration ${integrationId}: renewing the lease failed: ${e instanceof Error ? e.message : String(e)}`));
    }, Math.max(100, Math.floor(timing.leaseMs / 3)));
    this.heartbeat.unref();
  }

  /** The lease with a new token, or null while another live instance holds it. */
  static async acquire(integrationId: string, owner: string, leases: IntegrationLeaseRepository, queue: DispatchRepository, timing: LeaseTiming, onLost: () => void): Promise<{ lease: IntegrationLease; pausedUntil: Date | null } | null> {
    const held = await leases.acquire(integrationId, owner, timing.leaseMs);
    if (!held) return null;
    return { lease: new IntegrationLease(integrationId, owner, held.token, leases, queue, timing, onLost), pausedUntil: held.pausedUntil };
  }

  get lost(): boolean {
    return this.lostLease;
  }

  /** How long a claim lasts: one request's timeout plus a margin. */
  get claimMs(): number {
    return this.timing.requestTimeoutMs + CLAIM_MARGIN_MS;
  }

  /** Claims the rows for one request; false (and `lost`) when the token is stale. */
  async fence(intakeIds: string[]): Promise<boolean> {
    if (this.lostLease) return false;
    const ok = await this.queue.claim(this.integrationId, this.owner, this.token, intakeIds, this.claimMs, this.timing.leaseMs);
    if (!ok) this.lostLease = true;
    return ok;
  }

  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.leases.release(this.integrationId, this.owner, this.token).catch(() => undefined);
  }
}
