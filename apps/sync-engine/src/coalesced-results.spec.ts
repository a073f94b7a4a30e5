import { inIssueOrder, supersededFieldsByDomainCommand } from './coalesced-results';

const rows = [
  { command_id: 'c-3', domain_command_id: 'link/12' },
  { command_id: 'c-1', domain_command_id: 'link/9' },
  { command_id: 'c-2', domain_command_id: 'link/10' },
];

describe('coalesced results: one PagerDuty request reported to the domain command by command', () => {
  it('given journal rows in any order, when ordered, then they follow the dispatcher\'s per-command order', () => {
    const ordered = inIssueOrder(rows, { commandIds: ['c-3', 'c-1', 'c-2'], perCommand: [
      { commandId: 'c-1', written: {}, superseded: [] }, { commandId: 'c-2', written: {}, superseded: [] }, { commandId: 'c-3', written: {}, superseded: [] },
    ] });
    expect(ordered.map((r) => r.command_id)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('given a result without perCommand, when ordered, then the listed command ids decide, and the domain sequence breaks ties numerically', () => {
    expect(inIssueOrder(rows, { commandIds: ['c-2', 'c-1', 'c-3'] }).map((r) => r.command_id)).toEqual(['c-2', 'c-1', 'c-3']);
    expect(inIssueOrder(rows, { commandIds: [] }).map((r) => r.domain_command_id)).toEqual(['link/9', 'link/10', 'link/12']);
  });

  it('given urgency and priority superseded for a command, when mapped, then its severity is superseded once; other commands have none', () => {
    const superseded = supersededFieldsByDomainCommand(rows, { perCommand: [
      { commandId: 'c-1', written: { urgency: 'high', priorityId: 'PPRI001', title: 'b' }, superseded: ['urgency', 'priorityId', 'title'] },
      { commandId: 'c-2', written: { urgency: 'high' }, superseded: [] },
    ] });
    expect(superseded.get('link/9')).toEqual(['severity', 'title']);
    expect(superseded.get('link/10')).toEqual([]);
    expect(superseded.get('link/12')).toEqual([]);
  });
});
