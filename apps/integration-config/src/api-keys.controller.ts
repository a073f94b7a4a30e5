import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Caller, RequestContext } from '@incident-sync/service-runtime';
import { ApiKeyService, ApiKeyView } from './api-key.service';
import { CreateApiKeyDto, ListApiKeysQuery } from './dto/api-key.dto';

/** /api/v1/api-keys — create needs the admin key; an organization key sees only its organization's keys. */
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Post()
  create(@Caller() caller: RequestContext, @Body() dto: CreateApiKeyDto): Promise<ApiKeyView & { api_key: string }> {
    return this.apiKeys.create(caller, dto);
  }

  @Get()
  list(@Caller() caller: RequestContext, @Query() query: ListApiKeysQuery): Promise<{ data: ApiKeyView[] }> {
    return this.apiKeys.list(caller, query.organization_id);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Caller() caller: RequestContext, @Param('id') id: string): Promise<void> {
    return this.apiKeys.delete(caller, id);
  }
}

/** /api/v1/organizations/current — who am I: the organization the key acts on. */
@Controller('api/v1/organizations')
export class OrganizationsController {
  @Get('current')
  current(@Caller() caller: RequestContext): { organization_id: string | null; is_admin: boolean; key_name: string } {
    return { organization_id: caller.organizationId, is_admin: caller.isAdmin, key_name: caller.actor };
  }
}
