import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { WorkUnit } from './coalesce-commands';
import { DispatchRepository, StoredCommand } from './dispatch.repository';
import { ClassifiedFailure } from './failure-classification';
import { IntegrationLease } from './integration-lease';
import { UnitDispatcher } from './unit-dispatch.service';

/** The unit of a single stored command, as the planner would build it. */
export function singleCommandUnit(c: StoredCommand): WorkUnit {
  return c.action === 'create_incident'
    ? { action: 'create_incident', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, fields: c.command.create, lookupFirst: false }
    : c.action === 'add_note'
      ? { action: 'add_note', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, pdIncidentId: c.pdIncidentId, content: c.command.note?.content }
      : { action: 'update_incident', commands: [c], platformIncidentId: c.platformIncidentId, attempts: c.attempts, pdIncidentId: c.pdIncidentId, fields: c.command.update ?? {} };
}

/**
 * The integration was deleted: every queued command goes to the DLQ (INTEGRATION_NOT_FOUND),
 * one by one in arrival order and under the worker's fenced lease, so nothing is lost and a
 * stale worker drains nothing.
 */
export async function drainDeletedIntegration(integrationId: string, lease: IntegrationLease, repository: DispatchRepository, units: UnitDispatcher): Promise<void> {
  const pending = await repository.loadPending(integrationId, lease.token, 100000);
  const failure: ClassifiedFailure = { kind: 'permanent', code: 'INTEGRATION_NOT_FOUND', outcomeUnknown: false, httpStatus: null, message: `integration ${integrationId} no longer exists`, body: null, rateLimitResetSeconds: null };
  const config = { id: integrationId } as IntegrationRuntimeConfig;
  for (const c of pending) {
    if (lease.lost) return;
    await units.deadLetter(config, lease, singleCommandUnit(c), failure, { code: failure.code, parkedTooLong: false }, 0);
  }
}
