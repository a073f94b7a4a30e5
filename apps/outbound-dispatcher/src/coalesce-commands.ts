import { PagerDutyAction, PagerDutyCommandV1, PagerDutyCreateFields, PagerDutyUpdateFields } from '@incident-sync/contracts';

/** A stored command waiting to be written to PagerDuty (a `pending_command` row). */
export interface PendingCommand {
  commandId: string;
  /** Arrival order within the dispatcher (per integration, commands are applied in this order). */
  seq: number;
  platformIncidentId: string;
  pdIncidentId: string | null;
  action: PagerDutyAction;
  command: PagerDutyCommandV1;
  attempts: number;
  /** Epoch ms before which it must not be tried (retry backoff). */
  nextAttemptAt: number;
  /** A create that may already exist in PagerDuty: look it up by incident_key before POSTing again. */
  createOutcomeUnknown: boolean;
}

interface UnitBase {
  /** Every command this one request settles (several when updates were merged). */
  commands: PendingCommand[];
  platformIncidentId: string;
  /** Highest attempt count among them: the unit fails for good when it reaches the limit. */
  attempts: number;
}

export type WorkUnit =
  | (UnitBase & { action: 'create_incident'; fields: PagerDutyCreateFields | undefined; lookupFirst: boolean })
  | (UnitBase & { action: 'update_incident'; pdIncidentId: string | null; fields: PagerDutyUpdateFields })
  | (UnitBase & { action: 'add_note'; pdIncidentId: string | null; content: string | undefined });

export type DispatchPlan = { kind: 'dispatch'; unit: WorkUnit } | { kind: 'wait'; untilMs: number } | { kind: 'idle' };

const UPDATE_KEYS = ['status', 'title', 'urgency', 'priorityId', 'assigneeUserId', 'escalationPolicyId'] as const;

/** Later values win field by field; `priorityId: null` (clear the priority) is a value, absence is not. */
export function mergeUpdateFields(updates: readonly (PagerDutyUpdateFields | undefined)[]): PagerDutyUpdateFields {
  const merged: Record<string, unknown> = {};
  for (const update of updates) {
    if (!update) continue;
    for (const key of UPDATE_KEYS) {
      if (update[key] !== undefined) merged[key] = update[key];
    }
  }
  return merged as PagerDutyUpdateFields;
}

/**
 * Picks the next PagerDuty request of one integration from its pending commands (pure).
 *
 * Commands are grouped per platform incident and each group is applied in arrival order; the
 * oldest group head whose backoff has elapsed goes first. Coalescing rules:
 *  - every pending `update_incident` of that incident merges into one PUT (later fields
 *    override earlier ones), so a burst of edits that waited for a token costs one request;
 *  - a note is never merged away: each `add_note` is its own POST, in order;
 *  - a `create_incident` goes alone, and the incident's later updates/notes wait behind it
 *    until its result tells us the PagerDuty id (`knownPdIds`).
 * Updates are merged across interleaved notes: fields and notes are independent in PagerDuty.
 */
export function planNextRequest(pending: readonly PendingCommand[], knownPdIds: ReadonlyMap<string, string>, now: number): DispatchPlan {
  const groups = new Map<string, PendingCommand[]>();
  for (const command of [...pending].sort((a, b) => a.seq - b.seq)) {
    const group = groups.get(command.platformIncidentId) ?? [];
    group.push(command);
    groups.set(command.platformIncidentId, group);
  }
  let head: PendingCommand | undefined;
  let earliestWait = Infinity;
  for (const [first] of groups.values()) {
    if (!first) continue;
    if (first.nextAttemptAt > now) {
      earliestWait = Math.min(earliestWait, first.nextAttemptAt);
    } else if (!head || first.seq < head.seq) {
      head = first;
    }
  }
  if (!head) return earliestWait === Infinity ? { kind: 'idle' } : { kind: 'wait', untilMs: earliestWait };

  const group = groups.get(head.platformIncidentId) ?? [head];
  const fallbackPdId = knownPdIds.get(head.platformIncidentId) ?? null;
  const knownPdId = (commands: readonly PendingCommand[]): string | null =>
    [...commands].reverse().find((c) => c.pdIncidentId)?.pdIncidentId ?? fallbackPdId;
  const base = { platformIncidentId: head.platformIncidentId };
  switch (head.action) {
    case 'create_incident':
      return { kind: 'dispatch', unit: { ...base, action: 'create_incident', commands: [head], attempts: head.attempts, fields: head.command.create, lookupFirst: head.createOutcomeUnknown } };
    case 'add_note':
      return { kind: 'dispatch', unit: { ...base, action: 'add_note', commands: [head], attempts: head.attempts, pdIncidentId: knownPdId([head]), content: head.command.note?.content } };
    case 'update_incident': {
      // Stop at a later create of the same incident (a re-create must not absorb older edits).
      const nextCreate = group.findIndex((c) => c.action === 'create_incident');
      const window = nextCreate === -1 ? group : group.slice(0, nextCreate);
      const updates = window.filter((c) => c.action === 'update_incident');
      return {
        kind: 'dispatch',
        unit: {
          ...base, action: 'update_incident', commands: updates, attempts: Math.max(...updates.map((c) => c.attempts)),
          pdIncidentId: knownPdId(updates), fields: mergeUpdateFields(updates.map((c) => c.command.update)),
        },
      };
    }
  }
}
