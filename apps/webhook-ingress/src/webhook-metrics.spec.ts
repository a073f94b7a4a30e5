import { AppError } from '@incident-sync/contracts';
import { webhookAcceptedResult, webhookRejectionReason } from './webhook-metrics';

describe('webhook metric labels', () => {
  it('names each refusal by a fixed reason, never by its message', () => {
    expect(webhookRejectionReason(new AppError('INVALID_SIGNATURE', 'x'))).toBe('invalid_signature');
    expect(webhookRejectionReason(AppError.notFound('integration 123'))).toBe('not_found');
    expect(webhookRejectionReason(AppError.validation('body', 'body is not JSON'))).toBe('validation');
    expect(webhookRejectionReason(new AppError('PAYLOAD_TOO_LARGE', 'x'))).toBe('too_large');
    expect(webhookRejectionReason(new AppError('DEPENDENCY_UNAVAILABLE', 'x'))).toBe('unavailable');
    expect(webhookRejectionReason(new AppError('INTERNAL', 'x'))).toBe('error');
    expect(webhookRejectionReason(new Error('boom'))).toBe('error');
  });

  it('names each 2xx answer', () => {
    expect(webhookAcceptedResult({ status: 'accepted', receiptId: 'r' })).toBe('new');
    expect(webhookAcceptedResult({ status: 'duplicate' })).toBe('duplicate');
    expect(webhookAcceptedResult({ status: 'ping' })).toBe('ping');
  });
});
