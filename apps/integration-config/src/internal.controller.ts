import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig, IntegrationSummary } from '@incident-sync/integration-config-client';
import { ApiKeyService, CallerIdentity } from './api-key.service';
import { ResolveApiKeyDto } from './dto/api-key.dto';
import { RuntimeConfigService } from './runtime-config.service';

/**
 * Service-to-service API (internal token required by the global guard; the gateway routes
 * only /api/v1, so /internal is never reachable from outside). Decrypted secrets leave only
 * through the exact lookup of one integration; nothing here lists them.
 */
@Controller('internal/v1')
export class InternalController {
  constructor(private readonly runtime: RuntimeConfigService, private readonly apiKeys: ApiKeyService) {}

  /** IntegrationLookup.byId — one integration with decrypted secrets; 404 unknown (a non-UUID never reaches the database). */
  @Get('integrations/:id')
  integration(@Param('id') id: string): Promise<IntegrationRuntimeConfig> {
    return this.runtime.get(id);
  }

  /** IntegrationLookup.inOrganization — `:ref` = id or slug; another organization's integration is a 404. */
  @Get('organizations/:organizationId/integrations/:ref')
  integrationInOrganization(@Param('organizationId') organizationId: string, @Param('ref') ref: string): Promise<IntegrationRuntimeConfig> {
    return this.runtime.getInOrganization(organizationId, ref);
  }

  /** IntegrationLookup.allInOrganization — one organization's integrations as summaries, never with secrets. */
  @Get('integrations')
  integrations(@Query('organization_id') organizationId?: unknown): Promise<{ data: IntegrationSummary[] }> {
    if (typeof organizationId !== 'string' || organizationId.length === 0) {
      throw AppError.validation('organization_id', 'organization_id is required (one organization per call; the list carries no secrets)');
    }
    return this.runtime.summaries(organizationId);
  }

  /** The gateway's ApiKeyResolver: 200 with the caller's identity, 401 for an unknown key. */
  @Post('api-keys/resolve')
  @HttpCode(200)
  async resolve(@Body() dto: ResolveApiKeyDto): Promise<CallerIdentity> {
    const identity = await this.apiKeys.resolve(dto.api_key);
    if (!identity) throw new AppError('UNAUTHENTICATED', 'invalid API key');
    return identity;
  }
}
