import { PlatformIncidentFields, SkipReason } from '@incident-sync/contracts';
import { checkTransition } from './incident-status';
import { INCIDENT_FIELDS, IncidentField, IncidentFieldValues } from './incident-values';

export interface SkippedField {
  field: IncidentField;
  reason: SkipReason;
  /** One line for the incident timeline. */
  message: string;
}

export interface CommandPlan {
  /** What to write: only fields that pass compare-and-set and the transition table. */
  patch: Partial<IncidentFieldValues>;
  skipped: SkippedField[];
}

const REQUIRED: ReadonlySet<IncidentField> = new Set(['title', 'severity', 'status']);
const show = (v: string | null | undefined): string => (v == null ? 'empty' : JSON.stringify(v));

/**
 * Decides which fields of a sync `update` command to write (pure; ARCHITECTURE §3).
 * Compare-and-set per field: when `baseValues` names a field, it is written only if the
 * incident still holds that value; otherwise someone edited it after the sync-engine read it,
 * and that newer edit wins (it reaches the sync-engine as a change of its own, so nothing is
 * lost). A field without a base value is written as is. A status the transition table
 * forbids (e.g. `resolved` on a closed incident) is skipped, never an error: the command is
 * then recorded and acknowledged instead of being retried forever.
 */
export function planCommandUpdate(current: IncidentFieldValues, fields: PlatformIncidentFields, baseValues?: PlatformIncidentFields): CommandPlan {
  const patch: Partial<IncidentFieldValues> = {};
  const skipped: SkippedField[] = [];
  const writable = patch as Record<IncidentField, string | null>;
  for (const field of INCIDENT_FIELDS) {
    const wanted = fields[field];
    if (wanted === undefined) continue;
    if (wanted === null && REQUIRED.has(field)) {
      skipped.push({ field, reason: 'invalid_value', message: `sync skipped ${field}: it cannot be empty` });
      continue;
    }
    const have = current[field];
    if (wanted === have) continue;
    const base = baseValues?.[field];
    if (base !== undefined && base !== have) {
      skipped.push({ field, reason: 'changed_since', message: `sync skipped ${field}: it changed since the sync read it (expected ${show(base)}, found ${show(have)}; wanted ${show(wanted)})` });
      continue;
    }
    // The policy's name belongs to its id: never pair a skipped id with a new name.
    if (field === 'escalation_policy_name' && skipped.some((s) => s.field === 'escalation_policy')) {
      skipped.push({ field, reason: 'changed_since', message: `sync skipped escalation_policy_name: its escalation_policy was skipped` });
      continue;
    }
    if (field === 'status') {
      const check = checkTransition(current.status, wanted as IncidentFieldValues['status']);
      if (!check.legal) {
        skipped.push({ field, reason: 'illegal_transition', message: `sync skipped status ${show(wanted)}: ${check.reason}` });
        continue;
      }
    }
    writable[field] = wanted;
  }
  return { patch, skipped };
}
