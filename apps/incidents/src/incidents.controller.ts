import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError, ChangeOrigin } from '@incident-sync/contracts';
import { Caller, OrgId, RequestContext, requireSomeChange } from '@incident-sync/service-runtime';
import { AddNoteDto } from './add-note.dto';
import { CreateIncidentDto } from './create-incident.dto';
import { IncidentEntity } from './incident.entity';
import { IncidentService, UpdateOptions } from './incident.service';
import { IncidentFieldValues } from './incident-values';
import { IncidentView, TimelineEntryView, toIncidentView, toTimelineEntryView } from './incident.view';
import { ListIncidentsQuery } from './list-incidents.dto';
import { UpdateIncidentDto } from './update-incident.dto';

const DEFAULT_PAGE = 50;

/** REST API of the platform's incidents (snake_case). `:id` is the uuid or the number (INC-42). */
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentService) {}

  @Post()
  @HttpCode(201)
  async create(@OrgId() orgId: string, @Caller() caller: RequestContext, @Body() dto: CreateIncidentDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<IncidentView> {
    const incident = await this.incidents.create(orgId, {
      title: dto.title,
      description: dto.description ?? null,
      severity: dto.severity,
      status: dto.status ?? 'open',
      assigned_to: dto.assigned_to ?? null,
      escalation_policy: dto.escalation_policy?.id ?? null,
      escalation_policy_name: dto.escalation_policy?.name ?? null,
      incident_type: dto.incident_type ?? null,
    }, apiOrigin(caller));
    return withEtag(reply, incident);
  }

  @Get()
  async list(@OrgId() orgId: string, @Query() query: ListIncidentsQuery): Promise<{ data: IncidentView[]; next_cursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.incidents.list(orgId, {
      statuses: query.status,
      severities: query.severity,
      incidentType: query.incident_type,
      assignedTo: query.assigned_to,
      updatedSince: query.updated_since ? new Date(query.updated_since) : undefined,
      createdSince: query.created_since ? new Date(query.created_since) : undefined,
      beforeNumber: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(toIncidentView), next_cursor: rows.length > limit && last ? encodeCursor(last.number) : null };
  }

  @Get(':id')
  async get(@OrgId() orgId: string, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<IncidentView> {
    return withEtag(reply, await this.incidents.get(orgId, id));
  }

  @Patch(':id')
  async update(
    @OrgId() orgId: string, @Caller() caller: RequestContext, @Param('id') id: string, @Body() dto: UpdateIncidentDto,
    @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentView> {
    requireSomeChange(dto, ['version']);
    const patch: Partial<IncidentFieldValues> = {
      title: dto.title,
      description: dto.description,
      severity: dto.severity,
      status: dto.status,
      assigned_to: dto.assigned_to,
      incident_type: dto.incident_type,
    };
    if (dto.escalation_policy !== undefined) {
      patch.escalation_policy = dto.escalation_policy?.id ?? null;
      patch.escalation_policy_name = dto.escalation_policy?.name ?? null;
    }
    const incident = await this.incidents.update(orgId, id, patch, { ...versionOptions(ifMatch, dto.version), reopen: dto.reopen === true }, apiOrigin(caller));
    return withEtag(reply, incident);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  async reopen(
    @OrgId() orgId: string, @Caller() caller: RequestContext, @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IncidentView> {
    return withEtag(reply, await this.incidents.reopen(orgId, id, versionOptions(ifMatch, undefined), apiOrigin(caller)));
  }

  @Post(':id/notes')
  @HttpCode(201)
  async addNote(@OrgId() orgId: string, @Caller() caller: RequestContext, @Param('id') id: string, @Body() dto: AddNoteDto): Promise<TimelineEntryView> {
    return toTimelineEntryView(await this.incidents.addNote(orgId, id, dto.body, apiOrigin(caller)));
  }

  @Get(':id/timeline')
  async timeline(@OrgId() orgId: string, @Param('id') id: string): Promise<{ data: TimelineEntryView[] }> {
    return { data: (await this.incidents.timelineOf(orgId, id)).map(toTimelineEntryView) };
  }
}

/** REST callers act through an API key: its name is the actor. */
function apiOrigin(caller: RequestContext): ChangeOrigin {
  return { type: 'api', actor: caller.actor };
}

function withEtag(reply: FastifyReply, incident: IncidentEntity): IncidentView {
  reply.header('etag', `"${incident.version}"`);
  return toIncidentView(incident);
}

/** If-Match wins over a body `version`; `*` (or neither) means unconditional (last write wins). */
function versionOptions(ifMatch: string | undefined, bodyVersion: number | undefined): UpdateOptions {
  if (ifMatch !== undefined && ifMatch.trim() !== '') {
    const value = ifMatch.trim();
    if (value === '*') return {};
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
    if (!match?.[1]) throw AppError.validation('If-Match', 'If-Match must be the incident version as an ETag, e.g. "3"');
    return { expectedVersion: Number(match[1]) };
  }
  return bodyVersion !== undefined ? { expectedVersion: bodyVersion } : {};
}

function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw AppError.validation('cursor', 'cursor is not one this API returned');
  return Number(match[1]);
}
