import { isUUID } from 'class-validator';
import { deterministicUuid } from './deterministic-uuid';

describe('deterministicUuid', () => {
  it('is a valid UUID, stable for one name and different for another', () => {
    const a = deterministicUuid('pagerduty.commands.v1.dlq:1');
    expect(isUUID(a)).toBe(true);
    expect(deterministicUuid('pagerduty.commands.v1.dlq:1')).toBe(a);
    expect(deterministicUuid('pagerduty.commands.v1.dlq:2')).not.toBe(a);
  });
});
