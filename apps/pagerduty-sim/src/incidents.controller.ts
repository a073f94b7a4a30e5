import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, UseFilters } from '@nestjs/common';
import { Public } from '@incident-sync/service-runtime';
import { parseCreateIncident, parseUpdateIncident } from './incident-body';
import { boolParam, filterIncidents, paginate, parsePage, Query as Q } from './incident-query';
import { PdError } from './pd-error';
import { PdJson } from './pd-render';
import { actingUser, Caller, PdErrorFilter } from './sim-http';
import { SimCaller } from './sim-model';
import { SIMULATOR, Simulator } from './simulator';

/** REST API v2 incidents, notes and log entries (FACTS §2.2–2.3). */
@Public()
@UseFilters(PdErrorFilter)
@Controller()
export class IncidentsController {
  constructor(@Inject(SIMULATOR) private readonly sim: Simulator) {}

  @Get('incidents')
  list(@Query() query: Q): PdJson {
    const page = parsePage(query);
    const result = paginate(filterIncidents([...this.sim.state.incidents.values()], query, Date.now()), page);
    return { incidents: result.items.map((i) => this.sim.render.incident(i)), limit: result.limit, offset: result.offset, more: result.more, total: result.total };
  }

  @Post('incidents')
  @HttpCode(201)
  create(@Caller() caller: SimCaller, @Headers('from') from: string | undefined, @Body() body: unknown): PdJson {
    const actor = actingUser(this.sim, caller, from);
    const incident = this.sim.incidents.create(actor, parseCreateIncident(body), 'api');
    return { incident: this.sim.render.incident(incident) };
  }

  /** Bulk update, at most 250 incidents (413 beyond, FACTS §2.3). */
  @Put('incidents')
  bulkUpdate(@Caller() caller: SimCaller, @Headers('from') from: string | undefined, @Body() body: unknown): PdJson {
    const actor = actingUser(this.sim, caller, from);
    const items = typeof body === 'object' && body !== null ? (body as { incidents?: unknown }).incidents : undefined;
    if (!Array.isArray(items) || items.length === 0) throw PdError.invalidInput('Incidents must be a non-empty array');
    if (items.length > 250) throw new PdError(413, 2001, 'Request Entity Too Large', ['At most 250 incidents can be updated at once']);
    const parsed = items.map((item: unknown) => {
      const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      if (typeof id !== 'string') throw PdError.invalidInput('Each incident needs an id');
      this.sim.incidents.get(id);
      return { id, patch: parseUpdateIncident(item) };
    });
    const updated = parsed.map(({ id, patch }) => this.sim.incidents.update(actor, id, patch, 'api'));
    return { incidents: updated.map((i) => this.sim.render.incident(i)), limit: updated.length, offset: 0, more: false, total: null };
  }

  @Get('incidents/:id')
  get(@Param('id') id: string): PdJson {
    return { incident: this.sim.render.incident(this.sim.incidents.get(id)) };
  }

  @Put('incidents/:id')
  update(@Caller() caller: SimCaller, @Headers('from') from: string | undefined, @Param('id') id: string, @Body() body: unknown): PdJson {
    const actor = actingUser(this.sim, caller, from);
    this.sim.incidents.get(id);
    const incident = typeof body === 'object' && body !== null ? (body as { incident?: unknown }).incident : undefined;
    return { incident: this.sim.render.incident(this.sim.incidents.update(actor, id, parseUpdateIncident(incident), 'api')) };
  }

  /**
   * Merge (AS mergeIncidents; From required): `{"source_incidents":[{"id","type":"incident_reference"}]}`;
   * 200 with the target as an incident reference. The sources resolve with a merge resolve_reason.
   */
  @Put('incidents/:id/merge')
  merge(@Caller() caller: SimCaller, @Headers('from') from: string | undefined, @Param('id') id: string, @Body() body: unknown): PdJson {
    const actor = actingUser(this.sim, caller, from);
    this.sim.incidents.get(id);
    const sources = typeof body === 'object' && body !== null ? (body as { source_incidents?: unknown }).source_incidents : undefined;
    if (!Array.isArray(sources) || sources.length === 0) throw PdError.invalidInput('source_incidents must be a non-empty array of incident references');
    const ids = sources.map((s: unknown) => {
      const ref = typeof s === 'object' && s !== null ? (s as { id?: unknown; type?: unknown }) : {};
      if (typeof ref.id !== 'string' || ref.id === '') throw PdError.invalidInput('Each source incident needs an id');
      if (ref.type !== undefined && ref.type !== 'incident_reference' && ref.type !== 'incident') throw PdError.invalidInput('source_incidents[].type must be incident_reference');
      return ref.id;
    });
    const target = this.sim.incidents.merge(actor, id, ids, 'api');
    return { incident: { ...this.sim.render.incidentReference(target), summary: `[#${target.number}] ${target.title}` } };
  }

  @Get('incidents/:id/notes')
  notes(@Param('id') id: string): PdJson {
    const incident = this.sim.incidents.get(id);
    return { notes: (this.sim.state.notes.get(incident.id) ?? []).map((n) => this.sim.render.note(n)) };
  }

  /** Documented as 200; answered 201 Created (FACTS §6, see the validator's patches). */
  @Post('incidents/:id/notes')
  @HttpCode(201)
  addNote(@Caller() caller: SimCaller, @Headers('from') from: string | undefined, @Param('id') id: string, @Body() body: unknown): PdJson {
    const actor = actingUser(this.sim, caller, from);
    this.sim.incidents.get(id);
    const note = typeof body === 'object' && body !== null ? (body as { note?: { content?: unknown } }).note : undefined;
    if (typeof note?.content !== 'string') throw PdError.invalidInput('Note content is required');
    return { note: this.sim.render.note(this.sim.incidents.addNote(actor, id, note.content, 'api')) };
  }

  @Get('incidents/:id/log_entries')
  incidentLog(@Param('id') id: string, @Query() query: Q): PdJson {
    const incident = this.sim.incidents.get(id);
    return this.logEntries(query, incident.id);
  }

  @Get('log_entries')
  allLog(@Query() query: Q): PdJson {
    return this.logEntries(query, null);
  }

  @Get('log_entries/:id')
  logEntry(@Param('id') id: string, @Query() query: Q): PdJson {
    const entry = this.sim.state.logEntries.find((e) => e.id === id);
    if (!entry) throw PdError.notFound();
    return { log_entry: this.sim.render.logEntry(entry, this.includes(query).includes('channels')) };
  }

  private includes(query: Q): string[] {
    const raw = query['include[]'] ?? query.include;
    return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  }

  /** Newest first, like PagerDuty; since/until window (default: the last 30 days). */
  private logEntries(query: Q, incidentId: string | null): PdJson {
    const page = parsePage(query);
    const pick = (name: string): string | undefined => { const v = query[name]; return Array.isArray(v) ? v[0] : v; };
    const sinceRaw = pick('since');
    const untilRaw = pick('until');
    const until = untilRaw ? Date.parse(untilRaw) : Date.now() + 1000;
    const since = sinceRaw ? Date.parse(sinceRaw) : until - 30 * 86400000;
    if (Number.isNaN(since) || Number.isNaN(until)) throw PdError.invalidInput('Since and until must be dates');
    const overview = boolParam(query, 'is_overview');
    const overviewTypes = new Set(['trigger_log_entry', 'acknowledge_log_entry', 'resolve_log_entry', 'annotate_log_entry', 'assign_log_entry', 'escalate_log_entry', 'delegate_log_entry']);
    const entries = this.sim.state.logEntries
      .filter((e) => (incidentId === null || e.incidentId === incidentId) && Date.parse(e.createdAt) >= since && Date.parse(e.createdAt) < until && (!overview || overviewTypes.has(e.type)))
      .reverse();
    const result = paginate(entries, page);
    const channels = this.includes(query).includes('channels');
    return { log_entries: result.items.map((e) => this.sim.render.logEntry(e, channels)), limit: result.limit, offset: result.offset, more: result.more, total: result.total };
  }
}
