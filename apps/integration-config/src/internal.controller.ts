import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import type { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { ApiKeyService, CallerIdentity } from './api-key.service';
import { ResolveApiKeyDto } from './dto/api-key.dto';
import { RuntimeConfigService } from './runtime-config.service';

/**
 * Service-to-service API (internal token required by the global guard; the gateway routes
 * only /api/v1, so /internal is never reachable from outside).
 */
@Controller('internal/v1')
export class InternalController {
  constructor(private readonly runtime: RuntimeConfigService, private readonly apiKeys: ApiKeyService) {}

  /** IntegrationConfigClient.get — the integration with decrypted secrets; 404 unknown. */
  @Get('integrations/:id')
  integration(@Param('id') id: string): Promise<IntegrationRuntimeConfig> {
    return this.runtime.get(id);
  }

  /** IntegrationConfigClient.listForOrganization; without organization_id, every integration (reconcilers). */
  @Get('integrations')
  integrations(@Query('organization_id') organizationId?: string): Promise<{ data: IntegrationRuntimeConfig[] }> {
    return this.runtime.list(typeof organizationId === 'string' && organizationId.length > 0 ? organizationId : null);
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
