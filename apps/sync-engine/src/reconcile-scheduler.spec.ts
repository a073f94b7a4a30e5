import { MAX_CONCURRENT_PASSES, ReconcileScheduler } from './reconcile-scheduler.service';
import type { ReconcileService } from './reconcile.service';

/** A reconcile service whose passes finish only when the test says so. */
function passes(ids: string[]) {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const service = {
    candidates: async () => ids,
    scheduled: (id: string) => new Promise((resolve) => { started.push(id); finish.set(id, () => resolve(null)); }),
  } as unknown as ReconcileService;
  return { service, started, finish };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ReconcileScheduler', () => {
  it('given one integration’s pass still running, when the next tick comes, then the other due integrations start anyway and the running one is not started twice', async () => {
    const { service, started, finish } = passes(['slow', 'quick']);
    const scheduler = new ReconcileScheduler(service, 0);
    await scheduler.tick();
    expect(started).toEqual(['slow', 'quick']);
    finish.get('quick')?.();
    await settle();
    expect(scheduler.runningPasses()).toEqual(['slow']);
    await scheduler.tick();
    expect(started).toEqual(['slow', 'quick', 'quick']);
    finish.get('slow')?.();
    finish.get('quick')?.();
    await scheduler.onApplicationShutdown();
    expect(scheduler.runningPasses()).toEqual([]);
  });

  it('never runs more than MAX_CONCURRENT_PASSES at once in one replica', async () => {
    const ids = Array.from({ length: MAX_CONCURRENT_PASSES + 3 }, (_, i) => `int-${i}`);
    const { service, started, finish } = passes(ids);
    const scheduler = new ReconcileScheduler(service, 0);
    await scheduler.tick();
    expect(started).toHaveLength(MAX_CONCURRENT_PASSES);
    finish.get('int-0')?.();
    await settle();
    await scheduler.tick();
    expect(started).toHaveLength(MAX_CONCURRENT_PASSES + 1);
    for (const f of finish.values()) f();
    await scheduler.onApplicationShutdown();
  });
});
