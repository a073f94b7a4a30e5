import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ChangeOrigin, ExternalReference, PlatformIncidentCommandV1 } from '@incident-sync/contracts';
import { Inbox } from '@incident-sync/persistence';
import { IncidentChangeLog } from './incident-change-log.service';
import { ExternalRefRecord, IncidentEntity } from './incident.entity';
import { IncidentRepository } from './incident.repository';
import { IncidentService } from './incident.service';
import { applyFields, diffFields } from './incident-values';
import { assignFieldValues, fieldValuesOf } from './incident.view';
import { planCommandUpdate } from './plan-command-update';

export const COMMANDS_INBOX = 'platform-incident-commands';

/**
 * Applies platform.incident.commands from the sync-engine exactly once (inbox keyed by
 * commandId, in the same transaction as the change and its outbox row). Every resulting
 * event carries origin `integration` with the integration and command ids, which is how
 * the sync-engine recognises its own echoes.
 */
@Injectable()
export class ApplyIncidentCommandService {
  private readonly logger = new Logger(ApplyIncidentCommandService.name);
  private readonly inbox: Inbox;

  constructor(
    dataSource: DataSource,
    private readonly incidents: IncidentRepository,
    private readonly incidentService: IncidentService,
    private readonly changeLog: IncidentChangeLog,
  ) {
    this.inbox = new Inbox(dataSource, COMMANDS_INBOX);
  }

  /** Returns false when the command was already applied (a redelivery or a duplicate). */
  async apply(command: PlatformIncidentCommandV1): Promise<boolean> {
    const result = await this.inbox.runOnce(command.commandId, (manager) => this.applyWithin(manager, command));
    return result.processed;
  }

  private async applyWithin(manager: EntityManager, command: PlatformIncidentCommandV1): Promise<void> {
    const origin: ChangeOrigin = { type: 'integration', integrationId: command.integrationId, commandId: command.commandId, actor: `integration:${command.integrationId}` };
    const now = new Date();
    if (command.type === 'create') {
      await this.create(manager, command, origin, now);
      return;
    }
    const incident = await this.incidents.findById(manager, command.incidentId, true);
    if (!incident || incident.organizationId !== command.organizationId) {
      // Permanent: the dead-letter queue shows it to an operator instead of retrying forever.
      throw AppError.notFound(`incident ${command.incidentId} of organization ${command.organizationId}`);
    }
    const refChanged = mergeExternalRef(incident, command.externalRef, command.integrationId);
    if (command.type === 'update') {
      const current = fieldValuesOf(incident);
      const plan = planCommandUpdate(current, command.fields ?? {}, command.baseValues);
      const diffs = diffFields(current, plan.patch);
      if (diffs.length > 0) {
        assignFieldValues(incident, applyFields(current, plan.patch));
        incident.version += 1;
        incident.updatedAt = now;
      }
      if (diffs.length > 0 || refChanged) await this.incidents.save(manager, incident);
      await this.changeLog.updated(manager, incident, diffs, origin, now, plan.skipped);
      if (plan.skipped.length > 0) {
        this.logger.log({ msg: 'command fields skipped', commandId: command.commandId, incidentId: incident.id, skipped: plan.skipped.map((s) => ({ field: s.field, reason: s.reason })) });
      }
    } else if (refChanged) {
      await this.incidents.save(manager, incident);
    }
    if (command.timelineEntry) await this.changeLog.syncEntry(manager, incident, command.timelineEntry, origin, now);
    else if (command.type === 'add_timeline_entry') throw AppError.validation('timelineEntry', 'add_timeline_entry needs a timelineEntry');
  }

  /** The sync chose the id: an incident that already exists makes this a no-op (a replayed or duplicated create). */
  private async create(manager: EntityManager, command: PlatformIncidentCommandV1, origin: ChangeOrigin, now: Date): Promise<void> {
    const existing = await this.incidents.findById(manager, command.incidentId, true);
    if (existing) {
      if (existing.organizationId === command.organizationId && mergeExternalRef(existing, command.externalRef, command.integrationId)) {
        await this.incidents.save(manager, existing);
      }
      return;
    }
    const fields = command.fields ?? {};
    if (!fields.title) throw AppError.validation('fields.title', 'a create command needs fields.title');
    if (!fields.severity) throw AppError.validation('fields.severity', 'a create command needs fields.severity');
    const incident = await this.incidentService.createWithin(manager, command.organizationId, command.incidentId, {
      title: fields.title,
      description: fields.description ?? null,
      severity: fields.severity,
      status: fields.status ?? 'open',
      assigned_to: fields.assigned_to ?? null,
      escalation_policy: fields.escalation_policy ?? null,
      escalation_policy_name: fields.escalation_policy_name ?? null,
      incident_type: fields.incident_type ?? null,
    }, origin);
    if (mergeExternalRef(incident, command.externalRef, command.integrationId)) await this.incidents.save(manager, incident);
    if (command.timelineEntry) await this.changeLog.syncEntry(manager, incident, command.timelineEntry, origin, now);
  }
}

/** Records where the incident lives in the other system (one reference per system and integration); true when it changed. */
function mergeExternalRef(incident: IncidentEntity, ref: ExternalReference | undefined, integrationId: string): boolean {
  if (!ref) return false;
  const record: ExternalRefRecord = { system: ref.system, id: ref.id, number: ref.number ?? null, url: ref.url ?? null, integration_id: integrationId };
  const others = incident.externalRefs.filter((r) => !(r.system === record.system && r.integration_id === integrationId));
  const previous = incident.externalRefs.find((r) => r.system === record.system && r.integration_id === integrationId);
  if (previous && previous.id === record.id && previous.number === record.number && previous.url === record.url) return false;
  incident.externalRefs = [...others, record];
  return true;
}
