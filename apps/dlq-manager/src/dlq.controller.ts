import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Query } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { IntegrationLookup, isUuid } from '@incident-sync/integration-config-client';
import { Caller, RequestContext } from '@incident-sync/service-runtime';
import { DeadLetterFilter, DeadLetterScope, parseStatuses, parseTopics, scopeOf } from './dead-letter-filter';
import { DeadLetterDetailView, DeadLetterSummaryView, toDetailView, toSummaryView } from './dead-letter.view';
import { BulkReplayDto, DEFAULT_PAGE, ListDeadLettersQuery, MAX_BULK_REPLAY } from './dlq.dto';
import { BulkReplayResult, DeadLetterReplay } from './dead-letter-replay.service';
import { DlqService } from './dlq.service';

export interface DeadLetterPage {
  data: DeadLetterSummaryView[];
  total: number;
  limit: number;
  offset: number;
}

/** Shared by /dlq and /integrations/:ref/dlq: the query's filters and page, in the caller's scope. */
@Injectable()
export class DeadLetterLister {
  constructor(private readonly dlq: DlqService, private readonly integrations: IntegrationLookup) {}

  async filterOf(scope: DeadLetterScope, query: { status?: string; topic?: string; integration?: string }): Promise<DeadLetterFilter> {
    return {
      statuses: parseStatuses(query.status),
      topics: parseTopics(query.topic),
      integrationId: query.integration ? await this.integrationIdOf(scope, query.integration) : undefined,
    };
  }

  /**
   * `:ref` / `integration=` → the integration id dead letters carry, looked up in the caller's
   * organization: another organization's id or slug is a 404, like everywhere else. Dead
   * letters outlive their integration, so an id integration-config no longer knows still
   * filters when the caller's scope holds dead letters of it. The admin key without
   * X-Organization-Id sees unattributed dead letters only: its id is taken as given.
   */
  private async integrationIdOf(scope: DeadLetterScope, ref: string): Promise<string> {
    const trimmed = ref.trim();
    const id = isUuid(trimmed) ? trimmed.toLowerCase() : null;
    if (!scope.organizationId) {
      if (id !== null) return id;
      throw AppError.validation('integration', 'a slug needs an organization: send X-Organization-Id (im --org) or use the integration id');
    }
    try {
      return (await this.integrations.inOrganization(scope.organizationId, trimmed)).id;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (id === null) {
        if (error.code === 'DEPENDENCY_UNAVAILABLE') throw new AppError('DEPENDENCY_UNAVAILABLE', 'integration-config is unavailable: cannot resolve the integration slug (use the integration id)');
        throw error;
      }
      // An id needs no lookup to filter: the scope decides what is shown.
      if (error.code === 'DEPENDENCY_UNAVAILABLE') return id;
      if (error.code === 'NOT_FOUND' && (await this.dlq.holdsIntegration(scope, id))) return id;
      throw error;
    }
  }

  async page(scope: DeadLetterScope, query: ListDeadLettersQuery, integrationRef?: string): Promise<DeadLetterPage> {
    const filter = await this.filterOf(scope, { ...query, integration: integrationRef ?? query.integration });
    const limit = query.limit ?? DEFAULT_PAGE;
    const offset = query.offset ?? 0;
    const { rows, total } = await this.dlq.list(scope, filter, { limit, offset });
    return { data: rows.map(toSummaryView), total, limit, offset };
  }
}

/**
 * /api/v1/dlq — dead letters of the caller's organization (the admin key: unattributed ones,
 * plus the organization named by X-Organization-Id). Another organization's is a 404.
 */
@Controller('api/v1/dlq')
export class DlqController {
  constructor(private readonly dlq: DlqService, private readonly replays: DeadLetterReplay, private readonly lister: DeadLetterLister) {}

  @Get()
  list(@Caller() caller: RequestContext, @Query() query: ListDeadLettersQuery): Promise<DeadLetterPage> {
    return this.lister.page(scopeOf(caller), query);
  }

  @Post('replay')
  @HttpCode(200)
  async bulkReplay(@Caller() caller: RequestContext, @Body() dto: BulkReplayDto): Promise<BulkReplayResult> {
    const scope = scopeOf(caller);
    if (dto.ids) {
      if (dto.topic !== undefined || dto.status !== undefined || dto.integration !== undefined || dto.limit !== undefined) {
        throw AppError.validation('ids', 'give either ids or a filter (topic, status, integration), not both');
      }
      return this.replays.bulkReplay(scope, { ids: dto.ids }, caller.actor);
    }
    if (dto.topic === undefined && dto.integration === undefined && dto.status === undefined) {
      throw AppError.validation('ids', 'name what to replay: ids, or a filter with topic and/or integration (status defaults to pending)');
    }
    const filter = await this.lister.filterOf(scope, { topic: dto.topic, integration: dto.integration });
    return this.replays.bulkReplay(scope, { filter: { ...filter, statuses: [dto.status ?? 'pending'] }, limit: dto.limit ?? MAX_BULK_REPLAY }, caller.actor);
  }

  @Get(':id')
  async get(@Caller() caller: RequestContext, @Param('id') id: string): Promise<DeadLetterDetailView> {
    return toDetailView(await this.dlq.get(scopeOf(caller), id));
  }

  @Post(':id/replay')
  @HttpCode(200)
  async replay(@Caller() caller: RequestContext, @Param('id') id: string): Promise<DeadLetterDetailView> {
    return toDetailView(await this.replays.replay(scopeOf(caller), id, caller.actor));
  }

  @Post(':id/discard')
  @HttpCode(200)
  async discard(@Caller() caller: RequestContext, @Param('id') id: string): Promise<DeadLetterDetailView> {
    return toDetailView(await this.dlq.discard(scopeOf(caller), id, caller.actor));
  }
}

/** /api/v1/integrations/:ref/dlq — one integration's dead letters (`:ref` = id or slug; the gateway routes it here). */
@Controller('api/v1/integrations/:ref/dlq')
export class IntegrationDlqController {
  constructor(private readonly lister: DeadLetterLister) {}

  @Get()
  list(@Caller() caller: RequestContext, @Param('ref') ref: string, @Query() query: ListDeadLettersQuery): Promise<DeadLetterPage> {
    if (query.integration !== undefined) throw AppError.validation('integration', 'the integration is in the path: drop ?integration=');
    return this.lister.page(scopeOf(caller), query, ref);
  }
}
