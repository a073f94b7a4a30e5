import { effectiveFieldOwnership, pickOwnerAmong } from './pick-owner-among';
import { settings } from '../testing/sync-builders';

describe('ownership across several integrations', () => {
  it('given two integrations claim the assignee, then the one with the higher priority owns it', () => {
    expect(
      pickOwnerAmong([
        { integrationId: 'pd-eu', owner: 'external', priority: 10 },
        { integrationId: 'pd-us', owner: 'external', priority: 20 },
      ]),
    ).toEqual({ integrationId: 'pd-us', owner: 'external', priority: 20 });
  });

  it('given equal priorities, then a claim that the platform owns the field wins, then the smallest integration id', () => {
    expect(pickOwnerAmong([
      { integrationId: 'a', owner: 'external', priority: 5 },
      { integrationId: 'b', owner: 'platform', priority: 5 },
    ])?.integrationId).toBe('b');
    expect(pickOwnerAmong([
      { integrationId: 'z', owner: 'external', priority: 5 },
      { integrationId: 'm', owner: 'external', priority: 5 },
    ])?.integrationId).toBe('m');
  });

  it('given no claims, then nobody owns the field', () => {
    expect(pickOwnerAmong([])).toBeNull();
  });

  it('given a higher-priority peer owns the assignee, then for this integration the platform owns it (the peer’s value arrives through the platform)', () => {
    const self = settings({ integrationId: 'pd-eu', fieldOwnership: { assigned_to: { owner: 'external', priority: 10 } } });
    const peer = settings({ integrationId: 'pd-us', fieldOwnership: { assigned_to: { owner: 'external', priority: 20 } } });
    expect(effectiveFieldOwnership(self, [peer]).assigned_to).toEqual({ owner: 'platform', priority: 20 });
    expect(effectiveFieldOwnership(peer, [self]).assigned_to).toEqual({ owner: 'external', priority: 20 });
  });
});
