/**
 * Polls `probe` until it returns a value other than undefined/false, or fails with the last
 * observation after `timeoutMs`. For asynchronous effects (Kafka → consumer → database);
 * the timeout is a give-up bound, never a speed assertion.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out waiting for ${options.what ?? 'condition'} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
