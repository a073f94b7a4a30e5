import { IncidentService } from './incident.service';
import { PdRenderer } from './pd-render';
import { loadSeed } from './seed';
import { SimState } from './sim-state';
import type { SimEvent } from './webhook-events';

describe('one PUT is one change: its events carry the incident as the whole request left it', () => {
  function setup(): { incidents: IncidentService; events: SimEvent[]; state: SimState } {
    const state = new SimState(loadSeed());
    state.reset();
    const events: SimEvent[] = [];
    const incidents = new IncidentService(state, new PdRenderer(state, 'http://sim'), (e) => events.push(e));
    return { incidents, events, state };
  }

  it('given priority, urgency and title in one update, then priority_updated shows the new title and urgency', () => {
    const { incidents, events, state } = setup();
    const user = { type: 'user' as const, id: state.seed.users[0]!.id };
    const service = state.seed.services[0]!.id;
    const created = incidents.create(user, { serviceId: service, title: 'before', urgency: 'low' }, 'api');
    const priorities = state.seed.priorities ?? [];
    expect(priorities.length).toBeGreaterThan(1);
    events.length = 0;

    incidents.update(user, created.id, { priority: priorities[0]!.id, urgency: 'high', title: 'after' }, 'api');

    const updated = events.find((e) => e.eventType === 'incident.priority_updated');
    expect(updated?.data).toMatchObject({ title: 'after', urgency: 'high', priority: { id: priorities[0]!.id } });
  });

  it('given a later field is invalid (an empty title), then nothing changes and no event is sent', () => {
    const { incidents, events, state } = setup();
    const user = { type: 'user' as const, id: state.seed.users[0]!.id };
    const created = incidents.create(user, { serviceId: state.seed.services[0]!.id, title: 'keep' }, 'api');
    const priorityBefore = created.priorityId;
    events.length = 0;

    expect(() => incidents.update(user, created.id, { priority: (state.seed.priorities ?? [])[0]!.id, title: '   ' }, 'api')).toThrow();

    expect(events).toEqual([]);
    expect(state.incidents.get(created.id)).toMatchObject({ title: 'keep', priorityId: priorityBefore });
  });
});
