import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The seed file format (apps/pagerduty-sim/seed/default-seed.json; README "Seed data"). */
export interface SeedTeam { id: string; name: string; description?: string | null }
export interface SeedUser { id: string; name: string; email: string; role?: string; job_title?: string | null; time_zone?: string; team_ids?: string[] }
export interface SeedSchedule {
  id: string; name: string; description?: string | null; time_zone?: string;
  /** One layer: `user_ids` take turns of `turn_length_seconds` starting at `rotation_start`. */
  rotation_start: string; turn_length_seconds: number; user_ids: string[]; team_ids?: string[];
}
export interface SeedTarget { type: 'user_reference' | 'schedule_reference'; id: string }
export interface SeedRule { id: string; escalation_delay_in_minutes: number; targets: SeedTarget[] }
export interface SeedEscalationPolicy { id: string; name: string; description?: string | null; num_loops?: number; team_ids?: string[]; rules: SeedRule[] }
export interface SeedService {
  id: string; name: string; description?: string | null; escalation_policy_id: string; team_ids?: string[];
  acknowledgement_timeout?: number | null; auto_resolve_timeout?: number | null;
}
export interface SeedPriority { id: string; name: string; description?: string | null }
export interface SeedToken { token: string; kind: 'account' | 'user'; user_id?: string }
export interface SeedIncident {
  id?: string; title: string; service_id: string; status?: 'triggered' | 'acknowledged' | 'resolved'; urgency?: 'high' | 'low';
  priority?: string | null; incident_key?: string | null; created_at?: string; assignee_ids?: string[];
}
export interface SeedSubscription {
  id?: string; url: string; events: string[]; secret?: string; description?: string;
  filter?: { type: 'account_reference' | 'service_reference' | 'team_reference'; id?: string };
}
export interface Seed {
  account: { subdomain: string };
  abilities: string[];
  teams: SeedTeam[];
  users: SeedUser[];
  schedules: SeedSchedule[];
  escalation_policies: SeedEscalationPolicy[];
  services: SeedService[];
  priorities: SeedPriority[];
  tokens: SeedToken[];
  incidents?: SeedIncident[];
  webhook_subscriptions?: SeedSubscription[];
}

// From the source tree (ts-jest) or from dist/apps/pagerduty-sim/src (the JSON is not compiled).
const SEED_CANDIDATES = [
  join(__dirname, '..', 'seed', 'default-seed.json'),
  join(__dirname, '..', '..', '..', '..', 'apps', 'pagerduty-sim', 'seed', 'default-seed.json'),
];
export const DEFAULT_SEED_FILE: string = SEED_CANDIDATES.find((f) => existsSync(f)) ?? (SEED_CANDIDATES[0] as string);

/** Reads and cross-checks a seed; every broken reference is named at once (fail fast at boot). */
export function loadSeed(file: string = DEFAULT_SEED_FILE): Seed {
  const path = file;
  const seed = JSON.parse(readFileSync(path, 'utf8')) as Seed;
  const problems = checkSeed(seed);
  if (problems.length > 0) throw new Error(`Invalid simulator seed ${path}:\n  - ${problems.join('\n  - ')}`);
  return seed;
}

export function checkSeed(seed: Seed): string[] {
  const problems: string[] = [];
  for (const key of ['teams', 'users', 'schedules', 'escalation_policies', 'services', 'priorities', 'tokens', 'abilities'] as const) {
    if (!Array.isArray(seed[key])) problems.push(`${key} must be an array`);
  }
  if (problems.length) return problems;
  const ids = (list: { id: string }[]): Set<string> => new Set(list.map((x) => x.id));
  const teams = ids(seed.teams), users = ids(seed.users), schedules = ids(seed.schedules), eps = ids(seed.escalation_policies), services = ids(seed.services);
  const emails = new Set<string>();
  for (const u of seed.users) {
    if (!/^[^@\s]+@[^@\s]+$/.test(u.email)) problems.push(`user ${u.id}: email ${u.email} is not an email address`);
    if (emails.has(u.email.toLowerCase())) problems.push(`user ${u.id}: email ${u.email} is used twice`);
    emails.add(u.email.toLowerCase());
    for (const t of u.team_ids ?? []) if (!teams.has(t)) problems.push(`user ${u.id}: unknown team ${t}`);
  }
  for (const s of seed.schedules) {
    for (const u of s.user_ids) if (!users.has(u)) problems.push(`schedule ${s.id}: unknown user ${u}`);
    if (s.user_ids.length === 0) problems.push(`schedule ${s.id}: needs at least one user`);
    if (!(s.turn_length_seconds > 0)) problems.push(`schedule ${s.id}: turn_length_seconds must be > 0`);
    if (Number.isNaN(Date.parse(s.rotation_start))) problems.push(`schedule ${s.id}: rotation_start is not a date`);
  }
  for (const ep of seed.escalation_policies) {
    if (ep.rules.length === 0) problems.push(`escalation policy ${ep.id}: needs at least one rule`);
    for (const r of ep.rules) for (const t of r.targets) {
      if (t.type === 'user_reference' ? !users.has(t.id) : !schedules.has(t.id)) problems.push(`escalation policy ${ep.id}: unknown ${t.type} ${t.id}`);
    }
  }
  for (const s of seed.services) if (!eps.has(s.escalation_policy_id)) problems.push(`service ${s.id}: unknown escalation policy ${s.escalation_policy_id}`);
  for (const t of seed.tokens) if (t.kind === 'user' && (!t.user_id || !users.has(t.user_id))) problems.push(`token …${t.token.slice(-4)}: unknown user ${t.user_id ?? '(none)'}`);
  for (const i of seed.incidents ?? []) if (!services.has(i.service_id)) problems.push(`incident "${i.title}": unknown service ${i.service_id}`);
  return problems;
}
