import { aggregateSyncStatus, DispatcherStatus, OwnSyncFigures } from './sync-status';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const integration = { id: 'int-1', slug: 'prod-pd', enabled: true, syncDirection: 'bidirectional', rateLimitPerMinute: 120 };
const own = (over: Partial<OwnSyncFigures> = {}): OwnSyncFigures => ({
  openConflicts: 0, unknownUsers: [], oldestUnsettledWriteAt: null, unsettledWrites: 0, inbound: null, ...over,
});
const dispatcher = (over: Partial<DispatcherStatus> = {}): DispatcherStatus => ({
  queue_depth: 3, tokens_available: 7, rate_limit_per_minute: 120, last_success_at: '2026-11-26T11:59:59.000Z', last_error: null,
  rate_limited_429_count: 2, oldest_pending_at: null, dead_lettered_count: 1, ...over,
});

describe('aggregateSyncStatus', () => {
  it('given every source answers, when aggregated, then the dispatcher figures, our own figures and the DLQ size are reported', () => {
    const view = aggregateSyncStatus({
      integration, dispatcher: dispatcher(), ingress: null, dlqCount: 4, now: NOW,
      own: own({ openConflicts: 2, unknownUsers: [{ side: 'platform', key: 'x@example.com', count: 3, last_seen_at: '2026-11-26T11:00:00.000Z' }] }),
    });
    expect(view).toMatchObject({
      outbound_queue_depth: 3, tokens_available: 7, rate_limit_per_minute: 120, rate_limited_429_count: 2, open_conflicts: 2, unknown_user_count: 1, dlq_size: 4,
      sources: { outbound_dispatcher: 'ok', webhook_ingress: 'unavailable', dlq_manager: 'ok' },
    });
  });

  it('given siblings do not answer, then their figures are null (never zero) and marked unavailable', () => {
    const view = aggregateSyncStatus({ integration, dispatcher: null, ingress: null, dlqCount: null, own: own(), now: NOW });
    expect(view).toMatchObject({ outbound_queue_depth: null, tokens_available: null, rate_limited_429_count: null, dlq_size: null, rate_limit_per_minute: 120 });
    expect(view.sources).toEqual({ outbound_dispatcher: 'unavailable', webhook_ingress: 'unavailable', dlq_manager: 'unavailable' });
  });

  it('outbound lag is the age of the oldest change not yet written: our oldest unsettled command or the dispatcher\'s oldest pending one', () => {
    const view = aggregateSyncStatus({
      integration, ingress: null, dlqCount: 0, now: NOW,
      dispatcher: dispatcher({ oldest_pending_at: '2026-11-26T11:59:50.000Z' }),
      own: own({ oldestUnsettledWriteAt: '2026-11-26T11:59:30.000Z', unsettledWrites: 5 }),
    });
    expect(view.outbound_lag_seconds).toBe(30);
    expect(view.oldest_unsynced_change_at).toBe('2026-11-26T11:59:30.000Z');
    expect(aggregateSyncStatus({ integration, dispatcher: dispatcher(), ingress: null, dlqCount: 0, own: own(), now: NOW }).outbound_lag_seconds).toBe(0);
  });

  it('inbound lag: a webhook accepted by ingress but not yet processed counts from its arrival; otherwise the last processing delay', () => {
    const ingress = { last_received_at: '2026-11-26T11:59:58.000Z', last_event_occurred_at: null, accepted_total: 9, duplicate_total: 0, rejected_signature_total: 1 };
    const behind = aggregateSyncStatus({
      integration, dispatcher: null, ingress, dlqCount: 0, now: NOW,
      own: own({ inbound: { lastReceivedAt: '2026-11-26T11:59:00.000Z', lastProcessedAt: '2026-11-26T11:59:00.100Z', lastLagMs: 100, processedTotal: 8 } }),
    });
    expect(behind.inbound_lag_seconds).toBe(2);
    const caughtUp = aggregateSyncStatus({
      integration, dispatcher: null, ingress, dlqCount: 0, now: NOW,
      own: own({ inbound: { lastReceivedAt: '2026-11-26T11:59:58.000Z', lastProcessedAt: '2026-11-26T11:59:58.150Z', lastLagMs: 150, processedTotal: 9 } }),
    });
    expect(caughtUp.inbound_lag_seconds).toBe(0.2);
    expect(caughtUp.webhooks_rejected_signature).toBe(1);
  });

  it('given parked messages of the integration, then their count and the oldest one\'s age are reported', () => {
    const view = aggregateSyncStatus({ integration, dispatcher: null, ingress: null, dlqCount: 0, now: NOW, own: own({ parked: { count: 31, oldestParkedAt: '2026-11-26T11:58:00.000Z' } }) });
    expect(view).toMatchObject({ parked_messages: 31, oldest_parked_at: '2026-11-26T11:58:00.000Z', oldest_parked_age_seconds: 120 });
    expect(aggregateSyncStatus({ integration, dispatcher: null, ingress: null, dlqCount: 0, now: NOW, own: own() })).toMatchObject({ parked_messages: 0, oldest_parked_age_seconds: null });
  });
});
