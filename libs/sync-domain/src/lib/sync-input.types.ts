import type {
  EpochMs,
  ExternalFieldValues,
  PlatformFieldValues,
  SyncField,
} from './sync-field.types';

/** An entry for the platform incident's timeline (escalations, PagerDuty notes). */
export interface TimelineEntry {
  /** `ownership`: a non-owner's edit set back under authoritative ownership (README §7.4); `sync`: what the sync did and why (a write PagerDuty refused). */
  kind: 'note' | 'escalated' | 'delegated' | 'ownership' | 'sync' | 'status_update' | 'responder' | 'conference_bridge' | 'merged';
  text: string;
  occurredAt: EpochMs;
  /** Display name of who did it on PagerDuty, when known. */
  author: string | null;
  /** Stable key for idempotent inserts (PagerDuty note id or event id). */
  dedupeKey: string;
  /** PagerDuty trimmed the note or status update (FACTS §1.5): fetch the full text over REST before storing. */
  trimmed?: boolean;
}

export type EventClassification = 'handled' | 'ignored' | 'unknown' | 'malformed';

/**
 * A PagerDuty change, parsed from a Webhooks v3 event (`parsePagerDutyEvent`) or from a
 * reconciliation read (`parsePagerDutyIncidentSnapshot`).
 */
export interface ExternalChange {
  eventId: string;
  /** Normalised type (`incident.priority_changed` becomes `incident.priority_updated`). */
  eventType: string;
  rawEventType: string;
  classification: EventClassification;
  /** Why the event is ignored/unknown/malformed. */
  note: string | null;
  pagerDutyIncidentId: string | null;
  serviceId: string | null;
  occurredAt: EpochMs;
  /** `event.agent.id`; null for automation and reconciliation reads. */
  agentId: string | null;
  agentName: string | null;
  /** Field values the incident data shows, in PagerDuty terms (a full snapshot when present). */
  observed: Partial<ExternalFieldValues>;
  /** Fields this event type is about (e.g. status for `incident.acknowledged`). */
  primaryFields: SyncField[];
  timeline: TimelineEntry[];
  /** Display names carried by the event (for the platform's UI). */
  labels: { escalationPolicyName: string | null; assigneeName: string | null };
}

export type PlatformChangeOrigin =
  | { type: 'user' | 'api'; actor?: string | null }
  | { type: 'integration'; integrationId: string; commandId?: string | null };

export type PlatformFieldChanges = {
  [F in SyncField]?: { old?: PlatformFieldValues[F]; new: PlatformFieldValues[F] };
};

/** A committed platform incident change, as published by the incidents service's outbox. */
export interface PlatformChange {
  /** Incident version after this change; strictly increasing per incident. */
  version: number;
  occurredAt: EpochMs;
  origin: PlatformChangeOrigin;
  changes: PlatformFieldChanges;
}
