import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, BackfillTarget, ChangeOrigin } from '@incident-sync/contracts';
import { IncidentChangeLog } from './incident-change-log.service';
import { IncidentEntity } from './incident.entity';
import { IncidentListFilter, IncidentRepository } from './incident.repository';
import { IncidentRef, parseIncidentRef } from './incident-ref';
import { checkTransition } from './incident-status';
import { applyFields, diffFields, IncidentFieldValues } from './incident-values';
import { assignFieldValues, fieldValuesOf } from './incident.view';
import { TimelineEntryEntity } from './timeline-entry.entity';
import { TimelineRepository } from './timeline.repository';

/** A new incident has every field; absent optional ones are null. */
export type NewIncident = IncidentFieldValues;

export interface UpdateOptions {
  /** The version the caller last saw (If-Match / body `version`); absent = last write wins. */
  expectedVersion?: number;
  /** Allows closed → open. */
  reopen?: boolean;
}

const TIMELINE_LIMIT = 1000;

/** Incident use cases of the REST API. Each runs in one transaction with its timeline and event. */
@Injectable()
export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentRepository,
    private readonly timeline: TimelineRepository,
    private readonly changeLog: IncidentChangeLog,
  ) {}

  async create(organizationId: string, values: NewIncident, origin: ChangeOrigin): Promise<IncidentEntity> {
    return this.dataSource.transaction((manager) => this.createWithin(manager, organizationId, randomUUID(), values, origin));
  }

  /** Creates inside the caller's transaction (also used by sync `create` commands with the id the sync chose). */
  async createWithin(manager: EntityManager, organizationId: string, id: string, values: NewIncident, origin: ChangeOrigin): Promise<IncidentEntity> {
    const now = new Date();
    const incident = new IncidentEntity();
    incident.id = id;
    incident.organizationId = organizationId;
    incident.number = await this.incidents.nextNumber(manager, organizationId);
    assignFieldValues(incident, values);
    incident.externalRefs = [];
    incident.version = 1;
    incident.createdAt = now;
    incident.updatedAt = now;
    await this.incidents.insert(manager, incident);
    await this.changeLog.created(manager, incident, origin, now);
    return incident;
  }

  async get(organizationId: string, ref: string): Promise<IncidentEntity> {
    const incident = await this.incidents.find(organizationId, this.parse(ref));
    if (!incident) throw AppError.notFound(`incident ${ref}`);
    return incident;
  }

  async list(organizationId: string, filter: IncidentListFilter): Promise<IncidentEntity[]> {
    return this.incidents.list(organizationId, filter);
  }

  async update(organizationId: string, ref: string, patch: Partial<IncidentFieldValues>, options: UpdateOptions, origin: ChangeOrigin): Promise<IncidentEntity> {
    const parsed = this.parse(ref);
    return this.dataSource.transaction((manager) => this.updateWithin(manager, organizationId, ref, parsed, patch, options, origin));
  }

  /**
   * The row is locked (SELECT … FOR UPDATE) before the version is compared, so of two
   * updates made on the same version exactly one commits and the other sees the new
   * version and gets 409 VERSION_CONFLICT. A patch that changes nothing commits nothing.
   */
  async updateWithin(manager: EntityManager, organizationId: string, label: string, ref: IncidentRef, patch: Partial<IncidentFieldValues>, options: UpdateOptions, origin: ChangeOrigin): Promise<IncidentEntity> {
    const incident = await this.incidents.find(organizationId, ref, { manager, forUpdate: true });
    if (!incident) throw AppError.notFound(`incident ${label}`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== incident.version) {
      throw new AppError('VERSION_CONFLICT', `incident ${label} is at version ${incident.version}, not ${options.expectedVersion}; re-read it and retry`, 'version', { current_version: incident.version });
    }
    const current = fieldValuesOf(incident);
    if (patch.status !== undefined) {
      const check = checkTransition(current.status, patch.status, { reopen: options.reopen });
      if (!check.legal) throw new AppError('ILLEGAL_TRANSITION', `status: ${check.reason}`, 'status');
    }
    const diffs = diffFields(current, patch);
    if (diffs.length === 0) return incident;
    const now = new Date();
    assignFieldValues(incident, applyFields(current, patch));
    incident.version += 1;
    incident.updatedAt = now;
    await this.incidents.save(manager, incident);
    await this.changeLog.updated(manager, incident, diffs, origin, now);
    return incident;
  }

  /** resolved|closed → open. */
  async reopen(organizationId: string, ref: string, options: UpdateOptions, origin: ChangeOrigin): Promise<IncidentEntity> {
    const parsed = this.parse(ref);
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.incidents.find(organizationId, parsed, { manager, forUpdate: true });
      if (!incident) throw AppError.notFound(`incident ${ref}`);
      if (incident.status !== 'resolved' && incident.status !== 'closed') {
        throw new AppError('ILLEGAL_TRANSITION', `status: only a resolved or closed incident can be reopened; incident ${ref} is ${incident.status}`, 'status');
      }
      return this.updateWithin(manager, organizationId, ref, parsed, { status: 'open' }, { ...options, reopen: true }, origin);
    });
  }

  async addNote(organizationId: string, ref: string, body: string, origin: ChangeOrigin): Promise<Omit<TimelineEntryEntity, 'seq'>> {
    const parsed = this.parse(ref);
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.incidents.find(organizationId, parsed, { manager });
      if (!incident) throw AppError.notFound(`incident ${ref}`);
      return this.changeLog.noteAdded(manager, incident, body, origin, new Date());
    });
  }

  /**
   * Outbound backfill (issue #14): publishes the incident's current state for one integration,
   * read under the row lock in the same transaction as its outbox row, so it is ordered with the
   * incident's edits (an edit committed before it is already in the snapshot; one after it comes after).
   */
  async announceForBackfill(organizationId: string, id: string, target: BackfillTarget, eventId: string): Promise<IncidentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.incidents.find(organizationId, { id }, { manager, forUpdate: true });
      if (!incident) throw AppError.notFound(`incident ${id}`);
      await this.changeLog.backfillAnnounced(manager, incident, target, eventId, { type: 'api', actor: `backfill ${target.jobId}` }, new Date());
      return incident;
    });
  }

  async timelineOf(organizationId: string, ref: string): Promise<TimelineEntryEntity[]> {
    const incident = await this.get(organizationId, ref);
    return this.timeline.listFor(incident.id, TIMELINE_LIMIT);
  }

  /** A ref that is neither a uuid nor INC-<n> names no incident: 404, like another organization's. */
  private parse(ref: string): IncidentRef {
    const parsed = parseIncidentRef(ref);
    if (!parsed) throw AppError.notFound(`incident ${ref}`);
    return parsed;
  }
}
