import { PagerDutyCommandV1 } from '@incident-sync/contracts';
import { deadLetterEnvelope, deadLetterIdOf, deadLetterMessage } from './dead-letter-envelope';
import { StoredCommand } from './dispatch.repository';
import { ClassifiedFailure } from './failure-classification';

const command: PagerDutyCommandV1 = { commandId: '7d8f6a2e-1b1c-4c55-9a3e-4a1f3b8a9c01', organizationId: 'org-1', integrationId: 'pd-1', platformIncidentId: '0b1f8d5c-55a8-4a53-8f3d-0c6f0f5f7a11', pdIncidentId: 'PX', action: 'update_incident', issuedAt: '2026-01-01T00:00:00.000Z', update: { title: 't' } };
const stored = (extra: Partial<StoredCommand> = {}): StoredCommand => ({
  intakeId: command.commandId, replayOf: null, commandId: command.commandId, seq: 1, platformIncidentId: command.platformIncidentId, pdIncidentId: 'PX', action: 'update_incident', command,
  attempts: 0, nextAttemptAt: 0, createOutcomeUnknown: false, organizationId: 'org-1', payload: JSON.stringify(command), headers: { 'message-id': command.commandId },
  sourcePartition: 2, sourceOffset: '17', firstFailedAt: null, receivedAt: new Date(0), lastError: null, ...extra,
});
const rejected: ClassifiedFailure = { kind: 'permanent', code: 'PAGERDUTY_REJECTED', outcomeUnknown: false, httpStatus: 400, message: 'PUT /incidents/PX answered 400', body: { error: { code: 2001 } }, rateLimitResetSeconds: null };
const noHistory = { attempts: 0, firstFailedAt: null, errors: [] };
const now = new Date('2026-02-01T00:00:00.000Z');

describe('dead-letter envelope', () => {
  it('the id is derived from the intake id: a redelivery repeats it, a replay (another intake id) does not', () => {
    expect(deadLetterIdOf(command.commandId)).toBe(deadLetterIdOf(command.commandId));
    expect(deadLetterIdOf('1f0e0c4a-0000-4000-8000-000000000001')).not.toBe(deadLetterIdOf(command.commandId));
    expect(deadLetterEnvelope({ command: stored(), integrationId: 'pd-1', code: 'X', message: 'm', retryable: false, history: noHistory, consumerGroup: 'g', now }).deadLetterId).toBe(deadLetterIdOf(command.commandId));
  });

  it('carries the command as received, with PagerDuty\'s error body in the message', () => {
    const envelope = deadLetterEnvelope({ command: stored(), integrationId: 'pd-1', code: 'PAGERDUTY_REJECTED', message: deadLetterMessage(rejected, 1, false, noHistory), retryable: false, history: noHistory, consumerGroup: 'g', now });
    expect(envelope).toMatchObject({ originalTopic: 'pagerduty.commands.v1', key: 'pd-1', payload: JSON.stringify(command), headers: { 'message-id': command.commandId }, attempts: 1, partition: 2, offset: '17', organizationId: 'org-1', firstFailedAt: now.toISOString() });
    expect(envelope.errorMessage).toBe('PUT /incidents/PX answered 400; PagerDuty error body: {"error":{"code":2001}}');
  });

  it('a replay that fails again comes back with its history: attempts summed, first failure kept, earlier errors listed', () => {
    const history = { attempts: 3, firstFailedAt: new Date('2026-01-05T00:00:00.000Z'), errors: [{ at: new Date('2026-01-05T00:00:01.000Z'), message: 'answered 400 (first)' }] };
    const replay = stored({ intakeId: '1f0e0c4a-0000-4000-8000-000000000001', replayOf: 'dl-1', attempts: 1, firstFailedAt: new Date('2026-01-31T00:00:00.000Z') });
    const envelope = deadLetterEnvelope({ command: replay, integrationId: 'pd-1', code: 'PAGERDUTY_REJECTED', message: deadLetterMessage(rejected, 2, false, history), retryable: false, history, consumerGroup: 'g', now });
    expect(envelope.attempts).toBe(5);
    expect(envelope.firstFailedAt).toBe('2026-01-05T00:00:00.000Z');
    expect(envelope.errorMessage).toContain('earlier deliveries failed: [2026-01-05T00:00:01.000Z] answered 400 (first)');
  });

  it('a unit parked too long says so', () => {
    expect(deadLetterMessage({ ...rejected, kind: 'transient', body: null, message: '503' }, 40, true, noHistory)).toBe('parked too long, gave up after 40 attempt(s): 503');
  });
});
