import type { DecisionBuilder } from './decision-builder';
import { codecFor } from './field-codec.mapping';
import { confirmTarget, landedBound, settleWrites } from './field-observation';
import { decideHiddenEditAfterWrite } from './hidden-edit-after-write';
import type { IntegrationSettings } from './integration-settings';
import type { LinkState, Observation } from './link-state.types';
import { planFieldWrites } from './plan-field-writes';
import { fieldLabel, formatTime } from './reason-text';
import type { ExternalFieldValues, SyncField } from './sync-field.types';
import type { ExternalChange } from './sync-input.types';

/**
 * Echo suppression: telling our own writes coming back from PagerDuty apart from people's
 * edits, so nothing we wrote is copied back. The platform side's echoes are told apart by the
 * events' origin (decide-outbound.ts); this file is PagerDuty's side.
 */

/**
 * Who made a PagerDuty change, as far as echo suppression can tell:
 * - `ours`: the agent is our bot user — whatever it did came from our commands;
 * - `someone-else`: another agent while a bot user is configured — never an echo, even when
 *   the value happens to equal one we are writing;
 * - `unknown`: no agent (automation, reconciliation reads) or no bot user configured — a
 *   value equal to one of our pending writes is taken as its echo.
 */
export type ExternalAuthorship = 'ours' | 'someone-else' | 'unknown';

export function authorshipOf(change: ExternalChange, settings: IntegrationSettings): ExternalAuthorship {
  const bot = settings.botUserId ?? null;
  if (bot === null) return 'unknown';
  if (change.agentId === bot) return 'ours';
  return change.agentId === null ? 'unknown' : 'someone-else';
}

/**
 * Whether a PagerDuty observation of a field is our own write coming back:
 * - `our-action`: our bot's event about this field — proof that the matching write (and
 *   every earlier one) landed;
 * - `equal-to-pending`: a value equal to a write we issued (`match`, the index of that write),
 *   unless a known person made the event about this very field. No proof of landing (the
 *   snapshot of a bot event about another field, or a coincidence): the write stays pending.
 * A person's event speaks for its primary field only: its other snapshot fields show whatever
 * PagerDuty holds, typically one of our writes that landed meanwhile.
 */
export type EchoKind = 'our-action' | 'equal-to-pending';

export function echoOf(authorship: ExternalAuthorship, primary: boolean, match: number): EchoKind | null {
  if (authorship === 'ours' && primary) return 'our-action';
  if (match >= 0 && (authorship !== 'someone-else' || !primary)) return 'equal-to-pending';
  return null;
}

/**
 * Settles an echo: the writes it proves landed leave the pending list, a target it shows
 * reached is confirmed, and nothing is sent back. Our bot's late event proves our write
 * landed at `stamp`, like an acknowledgement does, so a person's edit seen after it is decided.
 */
export function settleEcho<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  echo: { kind: EchoKind; value: ExternalFieldValues[F]; stamp: number; previous: Observation<ExternalFieldValues[F]> | null; newest: boolean; match: number },
): void {
  const state = b.state.fields[field];
  const codec = codecFor(field);
  const ourAction = echo.kind === 'our-action';
  if (ourAction && echo.match >= 0) {
    state.pending.external = settleWrites(state.pending.external, echo.match, landedBound(echo.previous, echo.stamp, echo.newest));
  }
  if (state.target !== null && codec.eqExternal(echo.value, state.target.external, b.settings)) {
    confirmTarget(state, 'external', echo.stamp, b.now);
  }
  b.record({
    field,
    side: 'external',
    outcome: 'echo',
    reason: `PagerDuty reports ${fieldLabel(field)} ${codec.describeExternal(echo.value)} at ${formatTime(echo.stamp)}, which is our own write coming back (${ourAction ? 'made by our bot user' : 'equal to a write we issued'}); nothing is sent back.`,
  });
  if (ourAction && !echo.newest) decideHiddenEditAfterWrite(b, field, echo.previous, echo.value, echo.stamp);
  if (ourAction && echo.newest && echo.match < 0) realignAfterStaleLanding(b, field, echo.value, echo.stamp);
}

/**
 * Our bot set PagerDuty to `value`, the newest thing PagerDuty reports, yet no write of ours
 * is pending with it: an earlier write landing again (a request retried after PagerDuty had
 * already stored it) after the link moved on. It is our echo, never a person's edit, so it is
 * not copied to the platform; but PagerDuty no longer holds the target, and with no write of
 * ours still to land after it, PagerDuty is set back to the target.
 */
function realignAfterStaleLanding<F extends SyncField>(
  b: DecisionBuilder,
  field: F,
  value: ExternalFieldValues[F],
  stamp: number,
): void {
  const state = b.state.fields[field];
  const target = state.target;
  const codec = codecFor(field);
  if (target === null || state.conflictId !== null || state.pending.external.length > 0) return;
  if (codec.eqExternal(value, target.external, b.settings)) return;
  b.record({
    field,
    side: 'external',
    outcome: 'echo-realigned',
    reason: `Our earlier write of ${fieldLabel(field)} = ${codec.describeExternal(value)} landed on PagerDuty again at ${formatTime(stamp)} (a retried request), after the link had moved on to ${codec.describeExternal(target.external)}; PagerDuty is set back to it.`,
  });
  planFieldWrites(b, field);
}

/** A PagerDuty note whose text is one we posted (journal of our recent notes). */
export function isOurNote(state: LinkState, text: string): boolean {
  return state.postedNotes.includes(text);
}
