// Test builders: integration settings, incident values and PagerDuty webhook payloads shaped
// like the real ones in the fixtures (Webhooks v3 envelope, incident data with assignees[]).
import { createLinkState } from '../lib/create-link-state';
import { parsePagerDutyEvent } from '../lib/parse-pagerduty-event';
import type { LinkState } from '../lib/link-state.types';
import type { ExternalChange, PlatformChange, PlatformFieldChanges } from '../lib/sync-input.types';
import {
  userMappingFromPairs,
  type IntegrationSettings,
} from '../lib/integration-settings';
import type {
  EpochMs,
  ExternalFieldValues,
  PlatformFieldValues,
} from '../lib/sync-field.types';

export const BOT = 'PBOT000';
export const T0 = Date.parse('2025-03-01T10:00:00.000Z');

export const USERS = [
  { email: 'ann@example.com', pagerDutyUserId: 'PANN001' },
  { email: 'bob@example.com', pagerDutyUserId: 'PBOB002' },
  { email: 'cy@example.com', pagerDutyUserId: 'PCY0003' },
] as const;

export const PRIORITY_MAPPING = { P1: 'SEV-1', P2: 'SEV-2', P3: 'SEV-3', P4: 'SEV-4', P5: 'SEV-4' } as const;

export function settings(overrides: Partial<IntegrationSettings> = {}): IntegrationSettings {
  return {
    integrationId: 'int-1',
    direction: 'bidirectional',
    enabled: true,
    conflictStrategy: 'last-write-wins',
    priorityMapping: PRIORITY_MAPPING,
    userMapping: userMappingFromPairs(USERS),
    botUserId: BOT,
    syncEscalations: true,
    ...overrides,
  };
}

export function platformValues(overrides: Partial<PlatformFieldValues> = {}): PlatformFieldValues {
  return {
    title: 'Checkout latency',
    description: 'p99 above 2s',
    severity: 'SEV-2',
    status: 'open',
    assigned_to: 'ann@example.com',
    escalation_policy: 'PEP0001',
    ...overrides,
  };
}

export function externalValues(overrides: Partial<ExternalFieldValues> = {}): ExternalFieldValues {
  return {
    title: 'Checkout latency',
    description: 'p99 above 2s',
    severity: { urgency: 'high', priority: 'P2' },
    status: 'triggered',
    assigned_to: 'PANN001',
    escalation_policy: 'PEP0001',
    ...overrides,
  };
}

let eventCounter = 0;

/** A Webhooks v3 envelope for an incident event, with a full incident snapshot. */
export function webhook(
  eventType: string,
  values: ExternalFieldValues,
  opts: { at: EpochMs; agent?: string | null; id?: string; incidentId?: string },
): { event: Record<string, unknown> } {
  eventCounter += 1;
  const agent = opts.agent === undefined ? 'PHUMAN1' : opts.agent;
  return {
    event: {
      id: opts.id ?? `01EVT${String(eventCounter).padStart(21, '0')}`,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: new Date(opts.at).toISOString(),
      agent: agent === null ? null : { id: agent, type: 'user_reference', summary: agent === BOT ? 'Sync Bot' : `User ${agent}` },
      client: null,
      data: {
        id: opts.incidentId ?? 'PINC001',
        type: 'incident',
        status: values.status,
        title: values.title,
        service: { id: 'PSVC001', type: 'service_reference', summary: 'Checkout' },
        assignees:
          values.assigned_to === null ? [] : [{ id: values.assigned_to, type: 'user_reference', summary: values.assigned_to }],
        escalation_policy:
          values.escalation_policy === null
            ? null
            : { id: values.escalation_policy, type: 'escalation_policy_reference', summary: `Policy ${values.escalation_policy}` },
        priority:
          values.severity.priority === null
            ? null
            : { id: `PRI-${values.severity.priority}`, type: 'priority_reference', summary: values.severity.priority },
        urgency: values.severity.urgency,
        teams: [],
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

/** An `incident.annotated` envelope (data is the note; the incident is data.incident). */
export function noteWebhook(
  content: string,
  opts: { at: EpochMs; agent?: string | null; noteId?: string },
): { event: Record<string, unknown> } {
  eventCounter += 1;
  const agent = opts.agent === undefined ? 'PHUMAN1' : opts.agent;
  return {
    event: {
      id: `01NOTE${String(eventCounter).padStart(20, '0')}`,
      event_type: 'incident.annotated',
      resource_type: 'incident',
      occurred_at: new Date(opts.at).toISOString(),
      agent: agent === null ? null : { id: agent, type: 'user_reference', summary: `User ${agent}` },
      client: null,
      data: {
        incident: { id: 'PINC001', type: 'incident_reference' },
        id: opts.noteId ?? `PNOTE${eventCounter}`,
        content,
        trimmed: false,
        type: 'incident_note',
      },
    },
  };
}

// --- Link-level helpers for given/when/then unit tests -------------------------------------


/** Two incidents already in sync (platform version 1, PagerDuty seen at T0). */
export function linkedState(
  config: IntegrationSettings = settings(),
  overrides: { platform?: Partial<PlatformFieldValues>; external?: Partial<ExternalFieldValues> } = {},
): LinkState {
  return createLinkState(
    {
      linkId: 'link-1',
      platform: { values: platformValues(overrides.platform), version: 1, at: T0 },
      external: { values: externalValues(overrides.external), at: T0 },
    },
    config,
    T0,
  );
}

/** A change a person made on the platform. */
export function userChange(version: number, at: EpochMs, changes: PlatformFieldChanges): PlatformChange {
  return { version, occurredAt: at, origin: { type: 'user', actor: 'alice@example.com' }, changes };
}

/** The platform's echo of one of our commands. */
export function ourPlatformEcho(
  version: number,
  at: EpochMs,
  changes: PlatformFieldChanges,
  commandId?: string,
): PlatformChange {
  return {
    version,
    occurredAt: at,
    origin: { type: 'integration', integrationId: 'int-1', ...(commandId === undefined ? {} : { commandId }) },
    changes,
  };
}

/** A PagerDuty webhook, parsed as the sync engine would. */
export function pagerDutyEvent(
  eventType: string,
  values: ExternalFieldValues,
  opts: { at: EpochMs; agent?: string | null; id?: string },
): ExternalChange {
  return parsePagerDutyEvent(webhook(eventType, values, opts), PRIORITY_MAPPING);
}
