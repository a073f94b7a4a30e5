import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DeadLetterTopic, Topic } from '@incident-sync/contracts';
import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { EventPublisher } from '@incident-sync/messaging';
import { addToOutbox } from '@incident-sync/persistence';
import { WorkUnit } from './coalesce-commands';
import { resultOf, summaryOf } from './command-results';
import { deadLetterEnvelope, deadLetterMessage } from './dead-letter-envelope';
import { DispatcherMetrics } from './dispatcher-metrics';
import { DispatchRepository, StaleFenceError, StoredCommand } from './dispatch.repository';
import { DISPATCH_SETTINGS, DispatchSettings } from './dispatch-settings';
import { ClassifiedFailure, classifyFailure } from './failure-classification';
import { IntegrationLease } from './integration-lease';
import { IntegrationLeaseRepository } from './integration-lease.repository';
import { ExecutionResult, PagerDutyExecutor } from './pagerduty-executor';
import { writtenByCreate } from './pagerduty-request-bodies';
import { PagerDutyClients } from './pagerduty-clients';
import { decideAfterFailure } from './retry-policy';
import { TokenBucket } from './token-bucket';
import { SharedBudgetHook } from './shared-budget.hook';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one work unit under a fenced lease and settles it: fence → request(s) → one
 * transaction (rows done + result in the outbox), or park / pause / dead-letter as
 * retry-policy.ts decides. Every request is preceded by `lease.fence` (a stale token sends
 * nothing) and every settle carries the token (a stale one changes nothing).
 */
@Injectable()
export class UnitDispatcher {
  private readonly logger = new Logger(UnitDispatcher.name);
  private readonly consecutive429 = new Map<string, number>();

  constructor(
    private readonly repository: DispatchRepository,
    private readonly leases: IntegrationLeaseRepository,
    private readonly clients: PagerDutyClients,
    private readonly publisher: EventPublisher,
    @Inject(DISPATCH_SETTINGS) private readonly settings: DispatchSettings,
    private readonly sharedBudget: SharedBudgetHook,
    @Optional() private readonly metrics?: DispatcherMetrics,
  ) {}

  async dispatch(config: IntegrationRuntimeConfig, lease: IntegrationLease, bucket: TokenBucket, unit: WorkUnit, known: ReadonlyMap<string, string>): Promise<void> {
    const commands = unit.commands as StoredCommand[];
    const ids = commands.map((c) => c.intakeId);
    if (!(await lease.fence(ids))) return;
    let requests = 0;
    // Whether the last fence is fresh: taken just now, with no wait and no request since.
    let fenced = true;
    const executor = new PagerDutyExecutor({
      client: this.clients.clientFor(config),
      takeToken: async () => {
        // Tokens are spent only by the lease's current holder: a worker whose lease moved on
        // while it waited must not burn the integration's budget on a request it will not send
        // (with frequent handovers, every token would go to a stale waiter and nothing be sent).
        // So after any wait the worker fences again before it tries the shared budget.
        for (;;) {
          const localWait = bucket.msUntilAvailable();
          if (localWait > 0) {
            if (lease.lost) throw new StaleFenceError(`lease of ${config.id} was taken over while waiting for a token`);
            await delay(Math.min(1000, localWait));
            fenced = false;
            continue;
          }
          if (!fenced && !(await lease.fence(ids))) throw new StaleFenceError(`lease of ${config.id} moved on while waiting for a token`);
          fenced = true;
          // The integration's one budget, shared with the sync-engine's reads across replicas (write priority).
          const take = await this.sharedBudget.tryTakeWrite(config.id, config.rateLimitPerMinute);
          if (!take.granted) {
            await delay(Math.min(1000, take.waitMs));
            fenced = false;
            continue;
          }
          // Only this worker spends this instance's bucket, and it had a token a moment ago.
          bucket.tryTake();
          break;
        }
        // The fence right before the request: a worker whose lease moved on meanwhile sends nothing.
        if (!(await lease.fence(ids))) throw new StaleFenceError(`lease of ${config.id} moved on before the request`);
        fenced = false;
        requests += 1;
      },
      beforeCreate: () => this.repository.markCreateInFlight(ids[0] as string, lease.token),
    });
    let result: ExecutionResult;
    const alreadyCreated = unit.action === 'create_incident' ? known.get(unit.platformIncidentId) : undefined;
    try {
      // A repeated create of an incident we already created answers with that incident:
      // PagerDuty would accept a second one once the first is resolved.
      result = alreadyCreated && unit.action === 'create_incident'
        ? { pdIncidentId: alreadyCreated, incident: null, written: unit.fields ? writtenByCreate(unit.fields) : undefined }
        : await executor.execute(unit);
    } catch (error) {
      if (error instanceof StaleFenceError) {
        // Nothing was written under this claim (the fence precedes every request): give the rows back at once.
        await this.repository.releaseClaim(ids, lease.token);
        this.logger.warn(`integration ${config.id}: ${error.message}; not sent`);
        return;
      }
      await this.failed(config, lease, bucket, unit, classifyFailure(error), requests);
      return;
    }
    this.consecutive429.set(config.id, 0);
    this.metrics?.answered(commands, 'succeeded');
    const message = resultOf(config, unit, 'succeeded', { pdIncidentId: result.pdIncidentId, written: result.written, incident: summaryOf(result.incident, result.pdIncidentId), ...(result.refused ? { refused: result.refused } : {}) });
    await this.settleFenced(config.id, async () => {
      await this.repository.transaction(async (em) => {
        await this.repository.settle(em, ids, lease.token, 'done', message.resultId, null);
        if (unit.action === 'create_incident') await this.repository.rememberCreated(em, config.id, unit.platformIncidentId, result.pdIncidentId);
        await addToOutbox(em, Topic.PagerDutyCommandResults, message);
        await this.repository.recordOutcome(config.id, { success: true, requests }, em);
      });
    });
  }

  private async failed(config: IntegrationRuntimeConfig, lease: IntegrationLease, bucket: TokenBucket, unit: WorkUnit, failure: ClassifiedFailure, requests: number): Promise<void> {
    const commands = unit.commands as StoredCommand[];
    const ids = commands.map((c) => c.intakeId);
    const n429 = (this.consecutive429.get(config.id) ?? 0) + (failure.kind === 'rate_limited' ? 1 : 0);
    this.consecutive429.set(config.id, n429);
    const parkedSince = commands.map((c) => c.firstFailedAt).filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
    const decision = decideAfterFailure(failure, {
      attempts: unit.attempts, firstFailedAt: parkedSince.length ? Math.min(...parkedSince) : null, now: Date.now(), consecutive429: n429,
      policy: { baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs, multiplier: config.backoffMultiplier }, parkLimitMs: this.settings.parkLimitMs,
    });
    switch (decision.kind) {
      case 'pause_integration': {
        // PagerDuty's limit is per token: every incident of this integration waits, no other integration does.
        bucket.pause(decision.waitMs);
        await this.leases.pause(config.id, new Date(Date.now() + decision.waitMs));
        await this.sharedBudget.pause(config.id, decision.waitMs);
        await this.repository.scheduleRetry(ids, lease.token, new Date(), failure.message, { createOutcomeUnknown: false, countAttempt: false });
        await this.repository.recordOutcome(config.id, { rateLimited: true, error: failure.message, requests });
        this.logger.warn(`integration ${config.id}: PagerDuty answered 429; pausing the integration ${decision.waitMs} ms`);
        return;
      }
      case 'park': {
        await this.repository.scheduleRetry(ids, lease.token, new Date(Date.now() + decision.waitMs), failure.message, { createOutcomeUnknown: unit.action === 'create_incident' && failure.outcomeUnknown, countAttempt: true });
        await this.repository.recordOutcome(config.id, { error: failure.message, requests });
        this.logger.warn(`integration ${config.id}: ${unit.action} attempt ${unit.attempts + 1} failed (${failure.message}); parked for ${decision.waitMs} ms`);
        return;
      }
      case 'dead_letter':
        await this.deadLetter(config, lease, unit, failure, decision, requests);
    }
  }

  /**
   * Permanent failure or parked too long: every command of the unit goes to
   * `pagerduty.commands.v1.dlq` as it was received, with PagerDuty's message and error body
   * and its history, and the sync-engine gets a `failed` result. The DLQ is published first
   * (ids derived from the intake ids, so a crash before the commit only repeats the same dead
   * letters), then the rows, the result (outbox) and the counters commit together.
   */
  async deadLetter(config: IntegrationRuntimeConfig, lease: IntegrationLease, unit: WorkUnit, failure: ClassifiedFailure, decision: { code: string; parkedTooLong: boolean }, requests: number): Promise<void> {
    const commands = unit.commands as StoredCommand[];
    const ids = commands.map((c) => c.intakeId);
    if (!(await lease.fence(ids))) return;
    const now = new Date();
    const messages: string[] = [];
    await Promise.all(commands.map(async (c) => {
      const history = c.replayOf ? await this.repository.history(c.commandId, c.intakeId) : { attempts: 0, firstFailedAt: null, errors: [] };
      const errorMessage = deadLetterMessage(failure, c.attempts + 1 + history.attempts, decision.parkedTooLong, history);
      messages.push(errorMessage);
      const envelope = deadLetterEnvelope({ command: c, integrationId: config.id, code: decision.code, message: errorMessage, retryable: decision.parkedTooLong, history, consumerGroup: this.settings.consumerGroup, now });
      await this.publisher.publish(DeadLetterTopic.PagerDutyCommands, envelope);
    }));
    const errorMessage = messages[0] ?? failure.message;
    this.metrics?.answered(commands, 'failed', now.getTime());
    const message = resultOf(config, unit, 'failed', {
      pdIncidentId: 'pdIncidentId' in unit ? unit.pdIncidentId : null,
      error: { code: decision.code, message: errorMessage, ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}), ...(failure.body ? { body: failure.body } : {}) },
    });
    await this.settleFenced(config.id, async () => {
      await this.repository.transaction(async (em) => {
        await this.repository.settle(em, ids, lease.token, 'failed', message.resultId, errorMessage);
        await addToOutbox(em, Topic.PagerDutyCommandResults, message);
        await this.repository.recordOutcome(config.id, { error: errorMessage, deadLettered: commands.length, requests }, em);
      });
    });
    this.logger.warn(`integration ${config.id}: dead-lettered ${commands.length} ${unit.action} command(s): ${decision.code}`);
  }

  /** A settle under a stale token rolled back and changed nothing: say so, do not retry. */
  private async settleFenced(integrationId: string, settle: () => Promise<void>): Promise<void> {
    try {
      await settle();
    } catch (error) {
      if (!(error instanceof StaleFenceError)) throw error;
      this.logger.warn(`integration ${integrationId}: ${error.message}; nothing changed`);
    }
  }
}
