import { Seed, SeedEscalationPolicy, SeedSchedule, SeedService, SeedToken, SeedUser } from './seed';
import { SimIncident, SimLogEntry, SimNote, SimSubscription } from './sim-model';

/**
 * The whole simulated account, in memory. `reset()` returns to the seed. Incidents and
 * subscriptions from the seed are created by the services that own their rules (at boot and reset).
 */
export class SimState {
  incidents = new Map<string, SimIncident>();
  notes = new Map<string, SimNote[]>();
  logEntries: SimLogEntry[] = [];
  subscriptions = new Map<string, SimSubscription>();
  nextIncidentNumber = 1;
  /** The account's abilities (GET /abilities): the seed's, until `PUT /sim/account` changes them. */
  abilities: string[];

  constructor(public readonly seed: Seed, private readonly clock: () => number = Date.now) {
    this.abilities = [...seed.abilities];
  }

  /** Without the `priorities` ability an account has no priorities: GET /priorities answers 402, writes naming one 400. */
  hasPriorities(): boolean {
    return this.abilities.includes('priorities');
  }

  now(): number {
    return this.clock();
  }

  /** REST timestamps have second precision, like PagerDuty's (`2015-10-06T21:30:42Z`). */
  nowIso(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  reset(): void {
    this.incidents.clear();
    this.notes.clear();
    this.logEntries = [];
    this.subscriptions.clear();
    this.nextIncidentNumber = 1;
    this.abilities = [...this.seed.abilities];
  }

  user(id: string): SeedUser | undefined {
    return this.seed.users.find((u) => u.id === id);
  }

  userByEmail(email: string): SeedUser | undefined {
    const lower = email.trim().toLowerCase();
    return this.seed.users.find((u) => u.email.toLowerCase() === lower);
  }

  service(id: string): SeedService | undefined {
    return this.seed.services.find((s) => s.id === id);
  }

  escalationPolicy(id: string): SeedEscalationPolicy | undefined {
    return this.seed.escalation_policies.find((e) => e.id === id);
  }

  schedule(id: string): SeedSchedule | undefined {
    return this.seed.schedules.find((s) => s.id === id);
  }

  token(value: string): SeedToken | undefined {
    return this.seed.tokens.find((t) => t.token === value);
  }

  /** Incident by id or by number (GET /incidents/{id} accepts both, FACTS §2.2). */
  incident(idOrNumber: string): SimIncident | undefined {
    const byId = this.incidents.get(idOrNumber);
    if (byId) return byId;
    if (/^\d+$/.test(idOrNumber)) {
      const n = Number(idOrNumber);
      for (const i of this.incidents.values()) if (i.number === n) return i;
    }
    return undefined;
  }
}
