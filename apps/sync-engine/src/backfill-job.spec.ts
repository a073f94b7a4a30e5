import { backfillEta, backfillView, EMPTY_COUNTS, type BackfillJobRow } from './backfill-job';

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
      plan: [], errors: [],
    };
    const view = backfillView(row, 5, new Date(10000));
    expect(view.counts).toMatchObject({ queued: 8, linked: 5, pending: 3 });
    expect(view.runs).toBe(2);
    expect(backfillView({ ...row, dry_run: true, status: 'succeeded', finished_at: new Date(2000) }, 0, new Date(10000)).counts.pending).toBe(0);
  });
});
