import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import type { FastifyReply } from 'fastify';
import { Allow, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppError, isUuid } from '@incident-sync/contracts';
import { Caller, MaxJsonBytes, OrgId, type RequestContext } from '@incident-sync/service-runtime';
import { ConflictService, ConflictView, OPERATOR_DECISIONS, type OperatorDecisionName } from './conflict.service';
import { DecisionView, LinkView, OncallView, SyncQueryService } from './sync-query.service';
import type { SyncStatusView } from './sync-status';
import { ReconcileService, ReconcileSummary } from './reconcile.service';
import { ACTIVITY_DEFAULT_LIMIT, SyncActivityService, SyncActivityView } from './sync-activity.service';
import { BACKFILL_DIRECTIONS, type BackfillDirection, type BackfillJobView } from './backfill-job';
import { BackfillService } from './backfill.service';

/** POST /integrations/:ref/reconcile (issue #14). */
export class ReconcileDto {
  /** Also read incidents created since this time (ISO 8601); default: since the last pass. */
  @IsOptional() @IsString() @MaxLength(64) @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z' }) since?: string;
  /** Report the drift, change nothing. */
  @IsOptional() @IsBoolean({ message: 'dry_run must be true or false' }) dry_run?: boolean;
}

/** POST /integrations/:ref/backfill (issue #14). */
export class BackfillDto {
  /** Incidents created since this time (ISO 8601): PagerDuty's (inbound), the platform's (outbound). */
  @IsString({ message: 'since is required: an ISO 8601 time, e.g. 2026-11-01T00:00:00Z' }) @MaxLength(64)
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2026-11-01T00:00:00Z' }) since!: string;
  /** inbound (default): link and import PagerDuty incidents; outbound: create unlinked open platform incidents in PagerDuty; both: inbound, then outbound. */
  @IsOptional() @IsIn(BACKFILL_DIRECTIONS, { message: `direction must be one of ${BACKFILL_DIRECTIONS.join(', ')}` }) direction?: BackfillDirection;
  /** Report what it would create and link, change nothing. */
  @IsOptional() @IsBoolean({ message: 'dry_run must be true or false' }) dry_run?: boolean;
}

export class ResolveConflictDto {
  @IsIn(OPERATOR_DECISIONS) decision!: OperatorDecisionName;
  /** The platform value for take_value (a title, a severity, an email, …; null clears). */
  @IsOptional() @Allow() @MaxJsonBytes(65536) value?: unknown;
}

const CONFLICT_STATUSES = ['open', 'resolved', 'all'] as const;
const statusMessage = { message: `status must be one of ${CONFLICT_STATUSES.join(', ')}` };

/** ?incident= : a platform incident id or a PagerDuty incident id. */
class IncidentQuery {
  @IsOptional() @IsString() @MaxLength(200) incident?: string;
}

export class LinksQuery extends IncidentQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class HistoryQuery extends IncidentQuery {}

/** GET /integrations/:ref/activity: how many of the newest decisions and settled writes. */
export class ActivityQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class OncallQuery {
  @IsOptional() @IsString() @MaxLength(200) schedule_id?: string;
}

export class IntegrationConflictsQuery {
  @IsOptional() @IsIn(CONFLICT_STATUSES, statusMessage) status?: (typeof CONFLICT_STATUSES)[number];
}

export class ConflictsQuery extends IncidentQuery {
  @IsOptional() @IsIn(CONFLICT_STATUSES, statusMessage) status?: (typeof CONFLICT_STATUSES)[number];
  /** Integration id or slug. */
  @IsOptional() @IsString() @MaxLength(200) integration?: string;
}

/** Per-integration operator surfaces: links, history, sync-status, on-call (gateway routes integrations/:ref/…). */
@Controller('api/v1/integrations/:ref')
export class IntegrationSyncController {
  constructor(
    private readonly queries: SyncQueryService, private readonly conflicts: ConflictService, private readonly reconciler: ReconcileService, private readonly activities: SyncActivityService, private readonly backfills: BackfillService,
  ) {}

  /** Starts a backfill job (202), or answers the one already running (200); it runs server-side. */
  @Post('backfill')
  @HttpCode(202)
  async backfill(@OrgId() org: string, @Param('ref') ref: string, @Body() body: BackfillDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<BackfillJobView> {
    const since = new Date(body.since);
    if (since.getTime() > Date.now()) throw AppError.validation('since', 'since is in the future');
    const { created, job } = await this.backfills.start(org, ref, { since, direction: body.direction ?? 'inbound', dryRun: body.dry_run ?? false });
    if (!created) reply.status(200);
    return job;
  }

  /** The latest backfill job and its progress. */
  @Get('backfill')
  backfillStatus(@OrgId() org: string, @Param('ref') ref: string): Promise<BackfillJobView> {
    return this.backfills.latest(org, ref);
  }

  @Post('backfill/cancel')
  @HttpCode(200)
  cancelBackfill(@OrgId() org: string, @Param('ref') ref: string): Promise<BackfillJobView> {
    return this.backfills.cancel(org, ref);
  }

  /** One reconcile pass now; answers its summary when it has finished. */
  @Post('reconcile')
  @HttpCode(200)
  reconcile(@OrgId() org: string, @Param('ref') ref: string, @Body() body: ReconcileDto): Promise<ReconcileSummary> {
    let since: Date | undefined;
    if (body.since !== undefined) {
      since = new Date(body.since);
      if (since.getTime() > Date.now()) throw AppError.validation('since', 'since is in the future');
    }
    return this.reconciler.onDemand(org, ref, { since, dryRun: body.dry_run ?? false });
  }

  @Get('links')
  async links(@OrgId() org: string, @Param('ref') ref: string, @Query() query: LinksQuery): Promise<{ data: LinkView[] }> {
    return { data: await this.queries.links(org, ref, { incident: query.incident, limit: query.limit }) };
  }

  @Get('history')
  async history(@OrgId() org: string, @Param('ref') ref: string, @Query() { incident }: HistoryQuery): Promise<{ data: DecisionView[] }> {
    if (!incident) throw AppError.validation('incident', 'give ?incident=<platform incident id | PagerDuty incident id>');
    return { data: await this.queries.integrationHistory(org, ref, incident) };
  }

  /** The newest decisions and settled PagerDuty writes (with their latency): the status page's recent activity. */
  @Get('activity')
  activity(@OrgId() org: string, @Param('ref') ref: string, @Query() { limit }: ActivityQuery): Promise<SyncActivityView> {
    return this.activities.activity(org, ref, limit ?? ACTIVITY_DEFAULT_LIMIT);
  }

  @Get('sync-status')
  syncStatus(@OrgId() org: string, @Param('ref') ref: string): Promise<SyncStatusView> {
    return this.queries.syncStatus(org, ref);
  }

  @Get('oncall')
  oncall(@OrgId() org: string, @Param('ref') ref: string, @Query() { schedule_id: scheduleId }: OncallQuery): Promise<OncallView> {
    if (!scheduleId) throw AppError.validation('schedule_id', 'is required');
    return this.queries.oncall(org, ref, scheduleId);
  }

  @Get('conflicts')
  async conflictsOf(@OrgId() org: string, @Param('ref') ref: string, @Query() { status }: IntegrationConflictsQuery): Promise<{ data: ConflictView[] }> {
    return { data: await this.conflicts.list(org, { status: status ?? 'open', integrationRef: ref }) };
  }
}

/** Organization-wide: the manual-review queue and an incident's history. */
@Controller('api/v1')
export class SyncController {
  constructor(private readonly queries: SyncQueryService, private readonly conflicts: ConflictService) {}

  @Get('conflicts')
  async list(@OrgId() org: string, @Query() { status, integration, incident }: ConflictsQuery): Promise<{ data: ConflictView[] }> {
    return { data: await this.conflicts.list(org, { status: status ?? 'open', integrationRef: integration, incident }) };
  }

  @Get('conflicts/:id')
  get(@OrgId() org: string, @Param('id') id: string): Promise<ConflictView> {
    return this.conflicts.get(org, uuidParam(id));
  }

  @Post('conflicts/:id/resolve')
  @HttpCode(200)
  resolve(@Caller() caller: RequestContext, @OrgId() org: string, @Param('id') id: string, @Body() body: ResolveConflictDto): Promise<ConflictView> {
    return this.conflicts.resolve(org, uuidParam(id), body.decision, body.value, caller.actor);
  }

  @Get('sync/incidents/:platformIncidentId/history')
  async incidentHistory(@OrgId() org: string, @Param('platformIncidentId') id: string): Promise<{ data: DecisionView[] }> {
    return { data: await this.queries.incidentHistory(org, id) };
  }
}

/** Conflict ids are UUIDs; anything else cannot exist (404, not a database error). */
function uuidParam(id: string): string {
  if (!isUuid(id)) throw AppError.notFound(`conflict ${id}`);
  return id.toLowerCase();
}
