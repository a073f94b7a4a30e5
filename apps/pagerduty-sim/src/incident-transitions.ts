import { PdError } from './pd-error';
import { IncidentStatus } from './sim-model';

export type StatusChange = 'none' | 'acknowledge' | 'unacknowledge' | 'resolve' | 'reopen';

/**
 * Which status changes are legal (FACTS §2.3, §2.5, §3.10). Pure.
 * - triggered → acknowledged: acknowledge; → resolved: resolve.
 * - acknowledged → resolved: resolve; → triggered: unacknowledge, only as a person in the UI
 *   (`via: 'person'`); the REST API answers 400 1003 (inference: PUT documents `triggered` only for reopen).
 * - resolved → triggered|acknowledged: reopen (documented since 2025-09-18).
 * - acknowledging an acknowledged incident: 400 1002; resolving a resolved one: 400 1001
 *   (codes from REST-API/14-Errors; which transition yields which code is unverified).
 */
export function planStatusChange(current: IncidentStatus, target: IncidentStatus, via: 'api' | 'person'): StatusChange {
  if (current === 'resolved') {
    if (target === 'resolved') throw new PdError(400, 1001, 'Incident Already Resolved');
    return 'reopen';
  }
  if (target === 'resolved') return 'resolve';
  if (current === 'triggered') return target === 'acknowledged' ? 'acknowledge' : 'none';
  // current === 'acknowledged'
  if (target === 'acknowledged') throw new PdError(400, 1002, 'Incident Already Acknowledged');
  if (via === 'person') return 'unacknowledge';
  throw new PdError(400, 1003, 'Invalid Status Provided', ['An acknowledged incident can be resolved, or unacknowledged by a responder']);
}

/** Edits other than status on a resolved incident (FACTS §2.5 "most likely 1001"; configurable). */
export function assertEditable(status: IncidentStatus, rejectResolvedEdits: boolean): void {
  if (status === 'resolved' && rejectResolvedEdits) throw new PdError(400, 1001, 'Incident Already Resolved');
}

/** Escalation levels run 1..rules×(num_loops+1); beyond that PD cannot escalate (1006). */
export function assertEscalationLevel(level: number, rules: number, numLoops: number): void {
  if (!Number.isInteger(level) || level < 1) throw PdError.invalidInput('Escalation level must be a positive integer');
  if (level > rules * (numLoops + 1)) throw new PdError(400, 1006, 'Cannot Escalate', [`Escalation level ${level} does not exist on this escalation policy`]);
}
