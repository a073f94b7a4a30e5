import { backfillEta, backfillView, EMPTY_COUNTS, emptyOutboundState, isClosedForBackfill, needsQueuing, type BackfillJobRow } from './backfill-job';

describe('backfill progress (issue #14)', () => {
  it('given nothing read yet, when asked for an ETA, then it is unknown', () => {
    expect(backfillEta({ ...EMPTY_COUNTS, total: 500 }, 0, 1000, false)).toBeNull();
    expect(backfillEta(EMPTY_COUNTS, 0, 1000, false)).toBeNull();
  });

  it('given half read and everything read linked, when asked, then the rest takes as long again', () => {
    expect(backfillEta({ ...EMPTY_COUNTS, total: 500, scanned: 250, queued: 250 }, 250, 10000, false)).toBe(10);
  });

  it('given everything read, when links lag, then the ETA follows the link rate', () => {
    // 400 linked in 20 s = 20/s; 100 pending → 5 s.
    expect(backfillEta({ ...EMPTY_COUNTS, total: 500, scanned: 500, queued: 500 }, 400, 20000, true)).toBe(5);
  });

  it('given a finished job with nothing pending, then the ETA is 0', () => {
    expect(backfillEta({ ...EMPTY_COUNTS, total: 500, scanned: 500, already_linked: 500 }, 0, 20000, true)).toBe(0);
  });

  it('given queued incidents none of which is linked yet, then the ETA is unknown', () => {
    expect(backfillEta({ ...EMPTY_COUNTS, total: 10, scanned: 10, queued: 10 }, 0, 5000, true)).toBeNull();
  });

  it('shows pending as queued minus linked, and none for a dry run', () => {
    const row: BackfillJobRow = {
      id: 'j', organization_id: 'o', integration_id: 'i', direction: 'inbound', dry_run: false, since: new Date(0), until: new Date(1000), status: 'running',
      created_at: new Date(0), finished_at: null, heartbeat_at: new Date(500), runs: 2, requests: 3, counts: { ...EMPTY_COUNTS, total: 10, scanned: 10, queued: 8, already_linked: 2 },
      plan: [], errors: [], outbound: null,
    };
    const view = backfillView(row, 5, new Date(10000));
    expect(view.counts).toMatchObject({ queued: 8, linked: 5, pending: 3 });
    expect(view.runs).toBe(2);
    expect(backfillView({ ...row, dry_run: true, status: 'succeeded', finished_at: new Date(2000) }, 0, new Date(10000)).counts.pending).toBe(0);
  });

  it('shows an outbound part: created from the links, pending the rest, and the ETA of both directions', () => {
    const outbound = emptyOutboundState();
    outbound.counts = { ...outbound.counts, total: 30, scanned: 30, queued: 20, unmapped: 5, skipped_closed: 5 };
    outbound.scan_done = true;
    const row: BackfillJobRow = {
      id: 'j', organization_id: 'o', integration_id: 'i', direction: 'outbound', dry_run: false, since: new Date(0), until: new Date(1000), status: 'running',
      created_at: new Date(0), finished_at: null, heartbeat_at: new Date(500), runs: 1, requests: 0, counts: EMPTY_COUNTS, plan: [], errors: [], outbound,
    };
    // 10 created in 10 s = 1/s; 10 pending → 10 s.
    const view = backfillView(row, 0, new Date(10000), 10);
    expect(view.outbound?.counts).toMatchObject({ total: 30, queued: 20, created: 10, pending: 10, unmapped: 5, skipped_closed: 5 });
    expect(view.outbound?.eta_seconds).toBe(10);
    expect(view.eta_seconds).toBe(10);
    const dry = backfillView({ ...row, dry_run: true, status: 'succeeded', finished_at: new Date(2000) }, 0, new Date(10000), 0);
    expect(dry.outbound?.counts).toMatchObject({ queued: 20, created: 0, pending: 0 });
    expect(dry.eta_seconds).toBe(0);
  });

  it('does not push resolved or closed platform incidents', () => {
    expect(['open', 'mitigated', 'resolved', 'closed'].filter(isClosedForBackfill)).toEqual(['resolved', 'closed']);
  });
});

describe('needsQueuing', () => {
  const counts = () => ({ scanned: 0, queued: 0, already_linked: 0, already_queued: 0 });
  it('counts an incident this job queued before a resume as queued, a linked one as linked, another job’s as queued elsewhere; only the rest need work', () => {
    const c = counts();
    expect(needsQueuing(c, 'job-1', 'job-1', true)).toBe(false);
    expect(needsQueuing(c, undefined, 'job-1', true)).toBe(false);
    expect(needsQueuing(c, 'job-0', 'job-1', false)).toBe(false);
    expect(needsQueuing(c, undefined, 'job-1', false)).toBe(true);
    expect(c).toEqual({ scanned: 4, queued: 1, already_linked: 1, already_queued: 1 });
  });
});
