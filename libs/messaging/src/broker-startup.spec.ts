import { untilBrokerAnswers } from './kafka-consumer';

describe('untilBrokerAnswers', () => {
  it('given the broker answers on the third try, then it returns that answer after two waits', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await untilBrokerAnswers(async () => {
      calls += 1;
      if (calls < 3) throw new Error('Connection error: connect ECONNREFUSED');
      return 'topics ready';
    }, 60000, async (ms) => { waits.push(ms); });
    expect(result).toBe('topics ready');
    expect(waits).toEqual([500, 1000]);
  });

  it('given the broker never answers within the wait, then the last error is thrown', async () => {
    await expect(untilBrokerAnswers(async () => { throw new Error('ECONNREFUSED'); }, 0, async () => undefined)).rejects.toThrow('ECONNREFUSED');
  });
});
