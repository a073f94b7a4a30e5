import { decideInbound } from './decide-inbound';
import { decideOutbound } from './decide-outbound';
import { effectiveFieldOwnership } from './pick-owner-among';
import type { IntegrationSettings } from './integration-settings';
import { T0, externalValues, linkedState, pagerDutyEvent, settings, userChange } from '../testing/sync-builders';

const platformOwnsTitle = (authoritative: boolean, overrides: Partial<IntegrationSettings> = {}): IntegrationSettings =>
  settings({ conflictStrategy: 'ownership-priority', fieldOwnership: { title: { owner: 'platform', priority: 0, authoritative } }, ...overrides });

/** PagerDuty retitles the incident a second after both sides agreed: a sequential edit, no conflict. */
const pagerDutyRetitles = (config: IntegrationSettings) =>
  decideInbound(linkedState(config), pagerDutyEvent('incident.acknowledged', externalValues({ title: 'Edited in PagerDuty', status: 'acknowledged' }), { at: T0 + 1000 }), config, T0 + 1100);

describe('authoritative ownership', () => {
  it('given the platform owns the title only to break ties (the default), when PagerDuty retitles later, then the edit is copied to the platform', () => {
    const result = pagerDutyRetitles(platformOwnsTitle(false));
    expect(result.platformWrite?.set.title).toBe('Edited in PagerDuty');
    expect(result.decisions.find((d) => d.field === 'title')?.outcome).toBe('applied');
    expect(result.timeline).toEqual([]);
  });

  it('given the platform owns the title authoritatively, when PagerDuty retitles, then PagerDuty is set back to the platform title and the timeline says why', () => {
    const result = pagerDutyRetitles(platformOwnsTitle(true));
    expect(result.platformWrite?.set.title).toBeUndefined();
    expect(result.externalWrite?.update.title).toBe('Checkout latency');
    const title = result.decisions.find((d) => d.field === 'title');
    expect(title?.outcome).toBe('reverted-by-owner');
    expect(title?.reason).toContain('The platform owns title authoritatively, so edits made on PagerDuty do not stand: PagerDuty is set back to "Checkout latency".');
    expect(result.timeline).toEqual([
      expect.objectContaining({ kind: 'ownership', text: expect.stringContaining('PagerDuty changed title to "Edited in PagerDuty"') }),
    ]);
    // The other fields of the same event still sync: status is copied as usual.
    expect(result.platformWrite?.set.status).toBe('mitigated');
  });

  it('given PagerDuty owns the assignee authoritatively, when a person reassigns on the platform, then the platform is set back to PagerDuty’s assignee', () => {
    const config = settings({ fieldOwnership: { assigned_to: { owner: 'external', priority: 0, authoritative: true } } });
    const result = decideOutbound(linkedState(config), userChange(2, T0 + 1000, { assigned_to: { old: 'ann@example.com', new: 'bob@example.com' } }), config, T0 + 1100);
    expect(result.externalWrite?.update.assigneeId).toBeUndefined();
    expect(result.platformWrite?.set.assigned_to).toBe('ann@example.com');
    expect(result.decisions.find((d) => d.field === 'assigned_to')?.outcome).toBe('reverted-by-owner');
    expect(result.timeline.map((e) => e.kind)).toEqual(['ownership']);
  });

  it('given the owner’s edit is concurrent with the non-owner’s under manual review, then the owner’s edit stands and no conflict opens', () => {
    const config = platformOwnsTitle(true, { conflictStrategy: 'manual-review' });
    const pagerDuty = pagerDutyRetitles(config);
    const platform = decideOutbound(pagerDuty.state, userChange(2, T0 + 500, { title: { old: 'Checkout latency', new: 'Owner title' } }), config, T0 + 1200);
    expect(platform.conflictsOpened).toEqual([]);
    expect(platform.decisions.find((d) => d.field === 'title')?.outcome).toBe('applied');
    expect(platform.externalWrite?.update.title).toBe('Owner title');
  });

  it('given outbound sync is off, when PagerDuty retitles a platform-owned title, then it is not copied and the reason says PagerDuty cannot be set back', () => {
    const result = pagerDutyRetitles(platformOwnsTitle(true, { direction: 'inbound' }));
    expect(result.platformWrite?.set.title).toBeUndefined();
    expect(result.externalWrite).toBeNull();
    expect(result.decisions.find((d) => d.field === 'title')?.reason).toContain('PagerDuty cannot be set back to "Checkout latency" while outbound sync is off');
  });

  it('given another integration’s PagerDuty owns the title authoritatively with a higher priority, then this integration’s PagerDuty edits are set back too', () => {
    const self = settings({ integrationId: 'int-1' });
    const peer = settings({ integrationId: 'int-2', fieldOwnership: { title: { owner: 'external', priority: 5, authoritative: true } } });
    const ownership = effectiveFieldOwnership(self, [peer]);
    expect(ownership.title).toEqual({ owner: 'platform', priority: 5, authoritative: true });
    const result = pagerDutyRetitles({ ...self, fieldOwnership: ownership });
    expect(result.decisions.find((d) => d.field === 'title')?.outcome).toBe('reverted-by-owner');
  });
});
