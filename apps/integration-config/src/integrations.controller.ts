import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Caller, RequestContext, requireSomeChange } from '@incident-sync/service-runtime';
import { ConnectionTestResult, ConnectionTestService } from './connection-test.service';
import { CreateIntegrationDto, ListIntegrationsQuery, UpdateIntegrationDto } from './dto/integration.dto';
import { CreateWebhookSubscriptionDto } from './dto/integration-rules.dto';
import { IntegrationService } from './integration.service';
import { IntegrationView } from './integration.view';
import { WebhookSubscriptionService, WebhookSubscriptionView } from './webhook-subscription.service';

/** /api/v1/integrations — `:ref` is the integration's id or its slug (unique per organization). */
@Controller('api/v1/integrations')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationService,
    private readonly connectionTest: ConnectionTestService,
    private readonly webhookSubscriptions: WebhookSubscriptionService,
  ) {}

  @Post()
  create(@Caller() caller: RequestContext, @Body() dto: CreateIntegrationDto): Promise<IntegrationView> {
    return this.integrations.create(caller, dto);
  }

  @Get()
  list(@Caller() caller: RequestContext, @Query() query: ListIntegrationsQuery): Promise<{ data: IntegrationView[] }> {
    return this.integrations.list(caller, query);
  }

  @Get(':ref')
  get(@Caller() caller: RequestContext, @Param('ref') ref: string): Promise<IntegrationView> {
    return this.integrations.get(caller, ref);
  }

  @Patch(':ref')
  update(@Caller() caller: RequestContext, @Param('ref') ref: string, @Body() dto: UpdateIntegrationDto): Promise<IntegrationView> {
    requireSomeChange(dto);
    return this.integrations.update(caller, ref, dto);
  }

  @Delete(':ref')
  @HttpCode(204)
  delete(@Caller() caller: RequestContext, @Param('ref') ref: string): Promise<void> {
    return this.integrations.delete(caller, ref);
  }

  @Post(':ref/test')
  @HttpCode(200)
  test(@Caller() caller: RequestContext, @Param('ref') ref: string): Promise<ConnectionTestResult> {
    return this.connectionTest.test(caller, ref);
  }

  @Post(':ref/webhook-subscription')
  createWebhookSubscription(@Caller() caller: RequestContext, @Param('ref') ref: string, @Body() dto: CreateWebhookSubscriptionDto): Promise<WebhookSubscriptionView> {
    return this.webhookSubscriptions.create(caller, ref, dto);
  }
}
