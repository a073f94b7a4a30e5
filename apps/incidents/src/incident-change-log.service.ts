import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BackfillTarget, ChangeOrigin, PlatformIncidentChangedV1, Topic } from '@incident-sync/contracts';
import { addToOutbox } from '@incident-sync/persistence';
import { IncidentEntity } from './incident.entity';
import { FieldDiff, INCIDENT_FIELDS } from './incident-values';
import { fieldValuesOf, toIncidentSnapshot } from './incident.view';
import { SkippedField } from './plan-command-update';
import { TimelineEntryEntity } from './timeline-entry.entity';
import { TimelineRepository } from './timeline.repository';

/**
 * Writes what a committed change leaves behind, inside the caller's transaction: the
 * timeline entries and the platform.incident.changed outbox row. Because both go into the
 * same transaction as the incident row, a change and its event commit together or not at
 * all (ARCHITECTURE §4); the relay publishes the row afterwards (key = incident id).
 */
@Injectable()
export class IncidentChangeLog {
  constructor(private readonly timeline: TimelineRepository) {}

  async created(manager: EntityManager, incident: IncidentEntity, origin: ChangeOrigin, at: Date): Promise<void> {
    const values = fieldValuesOf(incident);
    const changes: FieldDiff[] = INCIDENT_FIELDS.filter((f) => values[f] !== null).map((field) => ({ field, oldValue: null, newValue: values[field] }));
    await this.timeline.add(manager, [this.entry(incident, origin, at, { kind: 'created', message: `${incident.title} (${incident.severity}, ${incident.status})` })]);
    await this.publish(manager, incident, origin, at, 'created', changes);
  }

  /**
   * A committed update. `skipped` (fields of a sync command that were not written) goes on the
   * timeline and into the event; with skipped fields the event is published even when nothing
   * changed, so the sync-engine stops waiting for writes that will never land.
   */
  async updated(manager: EntityManager, incident: IncidentEntity, diffs: FieldDiff[], origin: ChangeOrigin, at: Date, skipped: SkippedField[] = []): Promise<void> {
    if (diffs.length === 0 && skipped.length === 0) return;
    await this.timeline.add(manager, [
      ...diffs.map((d) => this.entry(incident, origin, at, {
        kind: d.field === 'status' ? 'status_changed' : 'field_changed',
        field: d.field,
        oldValue: d.oldValue,
        newValue: d.newValue,
      })),
      ...skipped.map((s) => this.entry(incident, origin, at, { kind: 'sync_skipped', field: s.field, message: s.message })),
    ]);
    await this.publish(manager, incident, origin, at, 'updated', diffs, undefined, skipped);
  }

  async noteAdded(manager: EntityManager, incident: IncidentEntity, body: string, origin: ChangeOrigin, at: Date): Promise<Omit<TimelineEntryEntity, 'seq'>> {
    const entry = this.entry(incident, origin, at, { kind: 'note', message: body });
    await this.timeline.add(manager, [entry]);
    await this.publish(manager, incident, origin, at, 'note_added', [], { id: entry.id, body, author: origin.actor });
    return entry;
  }

  /**
   * Re-announces the incident's current state for one integration's outbound backfill (issue #14):
   * an outbox row only (no timeline entry, no change), so it is published in commit order with the
   * incident's own changes. `eventId` comes from the caller, so asking twice is deduplicated by the
   * consumer's inbox.
   */
  async backfillAnnounced(manager: EntityManager, incident: IncidentEntity, target: BackfillTarget, eventId: string, origin: ChangeOrigin, at: Date): Promise<void> {
    await this.publish(manager, incident, origin, at, 'backfill', [], undefined, [], { target, eventId });
  }

  /** A line written by the sync (e.g. "escalated to level 2 in PagerDuty"): timeline only, no event. */
  async syncEntry(manager: EntityManager, incident: IncidentEntity, input: { kind: string; message: string; author?: string }, origin: ChangeOrigin, at: Date): Promise<void> {
    await this.timeline.add(manager, [this.entry(incident, origin, at, { kind: input.kind, message: input.message, actor: input.author ?? origin.actor })]);
  }

  private async publish(
    manager: EntityManager, incident: IncidentEntity, origin: ChangeOrigin, at: Date, changeType: PlatformIncidentChangedV1['changeType'], changes: FieldDiff[],
    note?: PlatformIncidentChangedV1['note'], skipped: SkippedField[] = [], backfill?: { target: BackfillTarget; eventId: string },
  ): Promise<void> {
    const event: PlatformIncidentChangedV1 = {
      eventId: backfill?.eventId ?? randomUUID(),
      organizationId: incident.organizationId,
      incidentId: incident.id,
      version: incident.version,
      changeType,
      changes: changes.map((c) => ({ field: c.field, oldValue: c.oldValue, newValue: c.newValue })),
      incident: toIncidentSnapshot(incident),
      origin: cleanOrigin(origin),
      occurredAt: at.toISOString(),
    };
    if (note) event.note = note;
    if (backfill) event.backfill = { integrationId: backfill.target.integrationId, jobId: backfill.target.jobId };
    if (skipped.length > 0) event.skipped = skipped.map((s) => ({ field: s.field, reason: s.reason }));
    await addToOutbox(manager, Topic.PlatformIncidentChanged, event);
  }

  private entry(
    incident: IncidentEntity, origin: ChangeOrigin, at: Date,
    e: { kind: string; field?: string; oldValue?: string | null; newValue?: string | null; message?: string; actor?: string },
  ): Omit<TimelineEntryEntity, 'seq'> {
    return {
      id: randomUUID(),
      incidentId: incident.id,
      organizationId: incident.organizationId,
      // Column widths (kind 50, actor 320): text from the sync is cut, never a failed transaction.
      kind: e.kind.slice(0, 50),
      field: e.field ?? null,
      oldValue: e.oldValue ?? null,
      newValue: e.newValue ?? null,
      message: e.message ?? null,
      actor: (e.actor ?? origin.actor).slice(0, 320),
      originType: origin.type,
      integrationId: origin.integrationId ?? null,
      commandId: origin.commandId ?? null,
      createdAt: at,
    };
  }
}

function cleanOrigin(origin: ChangeOrigin): ChangeOrigin {
  const out: ChangeOrigin = { type: origin.type, actor: origin.actor };
  if (origin.integrationId) out.integrationId = origin.integrationId;
  if (origin.commandId) out.commandId = origin.commandId;
  return out;
}
