import * as contracts from '@incident-sync/contracts';
import * as domain from '@incident-sync/sync-domain';

/**
 * libs/sync-domain imports nothing (it stays pure), so it keeps its own copy of the shared
 * vocabulary; libs/contracts holds the definition every service and the CLI use. The sync-engine
 * sees both, so this is where a difference between them is caught.
 */
describe('one vocabulary: sync-domain agrees with libs/contracts', () => {
  it('given the synced fields, severities and platform statuses, then both define the same values in the same order', () => {
    expect([...domain.SYNC_FIELDS]).toEqual([...contracts.SYNC_FIELDS]);
    expect([...domain.SEVERITIES]).toEqual([...contracts.SEVERITIES]);
    expect([...domain.PLATFORM_STATUSES]).toEqual([...contracts.PLATFORM_STATUSES]);
  });

  it('given no ownership rule for a field, then the domain uses the owner and priority integration-config reports as its default', () => {
    expect(domain.DEFAULT_FIELD_OWNERSHIP).toEqual(contracts.DEFAULT_FIELD_OWNERSHIP);
  });

  it('given the settings types, then every direction and strategy integration-config accepts is one the domain decides on', () => {
    const direction: domain.SyncDirection[] = [...contracts.SYNC_DIRECTIONS];
    const strategy: domain.ConflictStrategy[] = [...contracts.CONFLICT_STRATEGIES];
    const domainSide: domain.Side[] = [...contracts.FIELD_OWNERS];
    expect(direction).toHaveLength(4);
    expect(strategy).toHaveLength(3);
    expect(domainSide).toEqual([...domain.SIDES]);
  });
});
