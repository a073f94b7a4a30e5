import type { PagerDutyCommandResultV1, PagerDutyUpdateKey } from '@incident-sync/contracts';
import type { SyncField } from '@incident-sync/sync-domain';

// How one dispatcher result (one PagerDuty request, possibly several coalesced commands) is
// told to the domain: command by command, in issue order, each field either confirmed with
// the value the request carried or superseded by a later command's value.

export type JournalRow = { command_id: string; domain_command_id: string };

/** The synced field each dispatcher update key writes. */
const FIELD_OF_KEY: Record<PagerDutyUpdateKey, SyncField> = {
  title: 'title',
  status: 'status',
  urgency: 'severity',
  priorityId: 'severity',
  assigneeUserId: 'assigned_to',
  escalationPolicyId: 'escalation_policy',
};

/**
 * The journal rows in the order their commands were issued: the order the dispatcher lists
 * them in (it applies them in that order), else the domain command's sequence number.
 * Acknowledging in issue order matters: confirming a write also settles every earlier one.
 */
export function inIssueOrder<R extends JournalRow>(rows: readonly R[], result: Pick<PagerDutyCommandResultV1, 'commandIds' | 'perCommand'>): R[] {
  const order = new Map((result.perCommand?.map((c) => c.commandId) ?? result.commandIds).map((id, i) => [id, i]));
  const seqOf = (domainId: string): number => Number(domainId.slice(domainId.lastIndexOf('/') + 1));
  return [...rows].sort((a, b) =>
    (order.get(a.command_id) ?? Infinity) - (order.get(b.command_id) ?? Infinity) || seqOf(a.domain_command_id) - seqOf(b.domain_command_id));
}

/**
 * Per domain command, the synced fields whose own value the coalesced request did not carry
 * (a later command's value was sent instead): they are reported to the domain as superseded,
 * never as written.
 */
export function supersededFieldsByDomainCommand(rows: readonly JournalRow[], result: Pick<PagerDutyCommandResultV1, 'perCommand'>): Map<string, SyncField[]> {
  return fieldsByDomainCommand(rows, result, (c) => c.superseded);
}

/** Per domain command, the synced fields whose own value PagerDuty refused to set (result.refused says why). */
export function refusedFieldsByDomainCommand(rows: readonly JournalRow[], result: Pick<PagerDutyCommandResultV1, 'perCommand'>): Map<string, SyncField[]> {
  return fieldsByDomainCommand(rows, result, (c) => c.refused ?? []);
}

function fieldsByDomainCommand(
  rows: readonly JournalRow[],
  result: Pick<PagerDutyCommandResultV1, 'perCommand'>,
  keysOf: (c: NonNullable<PagerDutyCommandResultV1['perCommand']>[number]) => PagerDutyUpdateKey[],
): Map<string, SyncField[]> {
  const byCommand = new Map((result.perCommand ?? []).map((c) => [c.commandId, keysOf(c)]));
  const fields = new Map<string, SyncField[]>();
  for (const row of rows) {
    const keys = byCommand.get(row.command_id) ?? [];
    const list = fields.get(row.domain_command_id) ?? [];
    for (const key of keys) {
      const field = FIELD_OF_KEY[key];
      if (!list.includes(field)) list.push(field);
    }
    fields.set(row.domain_command_id, list);
  }
  return fields;
}
