import { Controller, Get, HttpCode, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { Public } from '@incident-sync/service-runtime';
import { boolParam, listParam, paginate, parsePage, Query as Q } from './incident-query';
import { shiftsBetween } from './oncall-rotation';
import { PdError } from './pd-error';
import { isoSeconds, PdJson } from './pd-render';
import { Caller, PdErrorFilter } from './sim-http';
import { SimCaller } from './sim-model';
import { SIMULATOR, Simulator } from './simulator';

const pick = (query: Q, name: string): string | undefined => { const v = query[name]; return Array.isArray(v) ? v[0] : v; };
const matchesQuery = (name: string, query: string | undefined): boolean => !query || name.toLowerCase().includes(query.toLowerCase());

function parseTime(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw PdError.invalidInput(`${name} is not a valid date`);
  return t;
}

/** Read-only account configuration: users, services, policies, schedules, on-calls, priorities, abilities (FACTS §2.4). */
@Public()
@UseFilters(PdErrorFilter)
@Controller()
export class DirectoryController {
  constructor(@Inject(SIMULATOR) private readonly sim: Simulator) {}

  private page<T>(key: string, items: T[], query: Q, render: (item: T) => PdJson): PdJson {
    const result = paginate(items, parsePage(query));
    return { [key]: result.items.map(render), limit: result.limit, offset: result.offset, more: result.more, total: result.total };
  }

  @Get('users')
  users(@Query() query: Q): PdJson {
    const teams = listParam(query, 'team_ids');
    const q = pick(query, 'query');
    const users = this.sim.state.seed.users.filter((u) => (matchesQuery(u.name, q) || matchesQuery(u.email, q)) && (!teams.length || (u.team_ids ?? []).some((t) => teams.includes(t))));
    return this.page('users', users, query, (u) => this.sim.render.user(u));
  }

  /** Only with a user-level token; an account-level key gets 400 (FACTS §2.4). */
  @Get('users/me')
  me(@Caller() caller: SimCaller): PdJson {
    if (caller.token !== 'user' || !caller.userId) throw PdError.invalidInput('This endpoint requires a user-level API token (account-level keys have no user)');
    const user = this.sim.state.user(caller.userId);
    if (!user) throw PdError.notFound();
    return { user: this.sim.render.user(user) };
  }

  @Get('users/:id')
  user(@Param('id') id: string): PdJson {
    const user = this.sim.state.user(id);
    if (!user) throw PdError.notFound('User Not Found');
    return { user: this.sim.render.user(user) };
  }

  @Get('services')
  services(@Query() query: Q): PdJson {
    const teams = listParam(query, 'team_ids');
    const q = pick(query, 'query');
    const name = pick(query, 'name');
    const sortBy = pick(query, 'sort_by') ?? 'name';
    if (!['name', 'name:asc', 'name:desc'].includes(sortBy)) throw PdError.invalidInput('Sort by must be name, name:asc or name:desc');
    const services = this.sim.state.seed.services
      .filter((s) => matchesQuery(s.name, q) && (name === undefined || s.name === name) && (!teams.length || (s.team_ids ?? []).some((t) => teams.includes(t))))
      .sort((a, b) => a.name.localeCompare(b.name) * (sortBy === 'name:desc' ? -1 : 1));
    return this.page('services', services, query, (s) => this.sim.render.service(s));
  }

  @Get('services/:id')
  service(@Param('id') id: string): PdJson {
    const service = this.sim.state.service(id);
    if (!service) throw PdError.notFound('Service Not Found');
    return { service: this.sim.render.service(service) };
  }

  @Get('escalation_policies')
  escalationPolicies(@Query() query: Q): PdJson {
    const q = pick(query, 'query');
    const users = listParam(query, 'user_ids');
    const teams = listParam(query, 'team_ids');
    const eps = this.sim.state.seed.escalation_policies.filter((ep) => matchesQuery(ep.name, q)
      && (!teams.length || (ep.team_ids ?? []).some((t) => teams.includes(t)))
      && (!users.length || ep.rules.some((r) => r.targets.some((t) => (t.type === 'user_reference' ? users.includes(t.id) : (this.sim.state.schedule(t.id)?.user_ids ?? []).some((u) => users.includes(u)))))));
    return this.page('escalation_policies', eps, query, (ep) => this.sim.render.escalationPolicy(ep));
  }

  @Get('escalation_policies/:id')
  escalationPolicy(@Param('id') id: string): PdJson {
    const ep = this.sim.state.escalationPolicy(id);
    if (!ep) throw PdError.notFound('Escalation Policy Not Found');
    return { escalation_policy: this.sim.render.escalationPolicy(ep) };
  }

  @Get('schedules')
  schedules(@Query() query: Q): PdJson {
    const q = pick(query, 'query');
    const now = Date.now();
    const schedules = this.sim.state.seed.schedules.filter((s) => matchesQuery(s.name, q));
    // The list omits rendered entries (no since/until on the list).
    return this.page('schedules', schedules, query, (s) => {
      const full = this.sim.render.schedule(s, now, now, false);
      delete full.schedule_layers;
      delete full.final_schedule;
      delete full.overrides_subschedule;
      return full;
    });
  }

  /** since/until default to two weeks either side of now; `overflow=false` truncates entries at the bounds. */
  @Get('schedules/:id')
  schedule(@Param('id') id: string, @Query() query: Q): PdJson {
    const schedule = this.sim.state.schedule(id);
    if (!schedule) throw PdError.notFound('Schedule Not Found');
    const now = Date.now();
    const since = parseTime(pick(query, 'since'), now - 14 * 86400000, 'Since');
    const until = parseTime(pick(query, 'until'), now + 14 * 86400000, 'Until');
    if (since > until) throw PdError.invalidInput('Since must be before until');
    return { schedule: this.sim.render.schedule(schedule, since, until, boolParam(query, 'overflow')) };
  }

  /**
   * On-calls (FACTS §2.4): every (escalation policy, level, user) with its shift; since/until
   * default to now and may reach 90 days ahead; any overlap matches. Direct user targets are
   * permanent on-calls (schedule null, start/end null). Filters schedule_ids[],
   * escalation_policy_ids[], user_ids[]; `earliest=true` keeps each combination's first shift.
   */
  @Get('oncalls')
  oncalls(@Query() query: Q): PdJson {
    const now = Date.now();
    const since = parseTime(pick(query, 'since'), now, 'Since');
    const until = parseTime(pick(query, 'until'), since, 'Until');
    if (until < since) throw PdError.invalidInput('Since must be before until');
    if (until - now > 90 * 86400000) throw PdError.invalidInput('Until cannot be more than 90 days in the future');
    const scheduleIds = listParam(query, 'schedule_ids');
    const policyIds = listParam(query, 'escalation_policy_ids');
    const userIds = listParam(query, 'user_ids');
    const earliest = boolParam(query, 'earliest');
    const r = this.sim.render;
    const out: PdJson[] = [];
    for (const ep of this.sim.state.seed.escalation_policies) {
      if (policyIds.length && !policyIds.includes(ep.id)) continue;
      ep.rules.forEach((rule, index) => {
        const level = index + 1;
        for (const target of rule.targets) {
          if (target.type === 'user_reference') {
            if (scheduleIds.length && !scheduleIds.includes('null')) continue;
            if (userIds.length && !userIds.includes(target.id)) continue;
            out.push({ escalation_policy: r.ref('escalation_policy', ep.id), escalation_level: level, schedule: null, user: r.ref('user', target.id), start: null, end: null });
            continue;
          }
          const schedule = this.sim.state.schedule(target.id);
          if (!schedule || (scheduleIds.length && !scheduleIds.includes(schedule.id))) continue;
          const seen = new Set<string>();
          for (const shift of shiftsBetween(schedule, since, Math.max(until, since + 1))) {
            if (userIds.length && !userIds.includes(shift.userId)) continue;
            if (earliest && seen.has(shift.userId)) continue;
            seen.add(shift.userId);
            out.push({ escalation_policy: r.ref('escalation_policy', ep.id), escalation_level: level, schedule: r.ref('schedule', schedule.id), user: r.ref('user', shift.userId), start: isoSeconds(shift.start), end: isoSeconds(shift.end) });
          }
        }
      });
    }
    const result = paginate(out, parsePage(query));
    return { oncalls: result.items, limit: result.limit, offset: result.offset, more: result.more, total: result.total };
  }

  /** Most to least severe (FACTS §2.4); 402 on an account without the priorities ability (AS lists 402). */
  @Get('priorities')
  priorities(@Query() query: Q): PdJson {
    if (!this.sim.state.hasPriorities()) throw PdError.missingAbility('priorities');
    return this.page('priorities', this.sim.state.seed.priorities, query, (p) => ({
      id: p.id, type: 'priority', summary: p.name, self: `${this.sim.render.ref('priority', p.id).self}`, html_url: null, name: p.name, description: p.description ?? '',
    }));
  }

  @Get('abilities')
  abilities(): PdJson {
    return { abilities: this.sim.state.abilities };
  }

  /** 204 when the account has the ability, 402 when it does not (FACTS §2.4). */
  @Get('abilities/:id')
  @HttpCode(204)
  ability(@Param('id') id: string): void {
    if (!this.sim.state.abilities.includes(id)) throw PdError.missingAbility(id);
  }
}
