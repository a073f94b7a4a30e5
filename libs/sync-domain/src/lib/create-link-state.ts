import { valuesAgree } from './field-codec.mapping';
import type { IntegrationSettings } from './integration-settings';
import type { FieldSyncState, LinkFields, LinkState } from './link-state.types';
import {
  SYNC_FIELDS,
  type EpochMs,
  type ExternalFieldValues,
  type PlatformFieldValues,
  type SyncField,
} from './sync-field.types';

export function emptyFieldState<F extends SyncField>(): FieldSyncState<F> {
  return {
    platform: null,
    external: null,
    lastChange: { platform: null, external: null },
    target: null,
    agreed: null,
    pending: { platform: [], external: [] },
    conflictId: null,
  };
}

export function emptyLinkState(linkId: string, integrationId: string): LinkState {
  const fields: LinkFields = {
    title: emptyFieldState<'title'>(),
    description: emptyFieldState<'description'>(),
    severity: emptyFieldState<'severity'>(),
    status: emptyFieldState<'status'>(),
    assigned_to: emptyFieldState<'assigned_to'>(),
    escalation_policy: emptyFieldState<'escalation_policy'>(),
  };
  return {
    schemaVersion: 1,
    linkId,
    integrationId,
    nextSeq: 1,
    fields,
    conflicts: [],
    lastExternalEventAt: null,
    lastPlatformVersion: null,
    postedNotes: [],
    recentEventIds: [],
  };
}

/**
 * Links two incidents that already exist (backfill, or re-linking): records what each side
 * holds now. Fields on which the two agree start in sync; a field on which they differ has
 * no target yet, and the next change on either side sets it (or resolve it by editing one
 * side). Writes nothing.
 */
export function createLinkState(
  input: {
    linkId: string;
    platform: { values: PlatformFieldValues; version: number; at: EpochMs };
    external: { values: ExternalFieldValues; at: EpochMs };
  },
  settings: IntegrationSettings,
  now: EpochMs,
): LinkState {
  const state = emptyLinkState(input.linkId, settings.integrationId);
  for (const field of SYNC_FIELDS) seedField(state, field, input, settings, now);
  state.lastPlatformVersion = input.platform.version;
  state.lastExternalEventAt = input.external.at;
  return state;
}

function seedField<F extends SyncField>(
  state: LinkState,
  field: F,
  input: Parameters<typeof createLinkState>[0],
  settings: IntegrationSettings,
  now: EpochMs,
): void {
  const fieldState: FieldSyncState<F> = state.fields[field];
  const platformValue: PlatformFieldValues[F] = input.platform.values[field];
  const externalValue: ExternalFieldValues[F] = input.external.values[field];
  fieldState.platform = { value: platformValue, stamp: input.platform.version, at: input.platform.at };
  fieldState.external = { value: externalValue, stamp: input.external.at, at: input.external.at };
  if (valuesAgree(field, platformValue, externalValue, settings)) {
    fieldState.target = {
      platform: platformValue,
      external: externalValue,
      source: 'initial',
      at: Math.max(input.platform.at, input.external.at),
      confirmed: { platform: input.platform.version, external: input.external.at },
    };
    fieldState.agreed = { platform: platformValue, external: externalValue, at: now };
  }
}
