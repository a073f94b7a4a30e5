import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Caller, RequestContext } from '@incident-sync/service-runtime';
import { AddServiceMappingDto, AddUserMappingDto, AddWebhookSecretDto, SetFieldOwnershipDto } from './dto/integration-rules.dto';
import { IntegrationRulesService } from './integration-rules.service';
import { FieldOwnershipView, WebhookSecretView } from './integration.view';

type Listed<T> = Promise<{ data: T[] }>;
type ServiceMapping = { pd_service_id: string; incident_type: string; created_at: string };
type UserMapping = { email: string; pd_user_id: string; created_at: string };

/** Rules and mappings of one integration: /api/v1/integrations/:ref/{field-ownership,service-mappings,user-mappings,webhook-secrets}. */
@Controller('api/v1/integrations/:ref')
export class IntegrationRulesController {
  constructor(private readonly rules: IntegrationRulesService) {}

  @Get('field-ownership')
  listFieldOwnership(@Caller() caller: RequestContext, @Param('ref') ref: string): Listed<FieldOwnershipView> {
    return this.rules.listFieldOwnership(caller, ref);
  }

  @Put('field-ownership/:field')
  setFieldOwnership(@Caller() caller: RequestContext, @Param('ref') ref: string, @Param('field') field: string, @Body() dto: SetFieldOwnershipDto): Promise<FieldOwnershipView & { warnings?: string[] }> {
    return this.rules.setFieldOwnership(caller, ref, field, dto);
  }

  @Delete('field-ownership/:field')
  @HttpCode(204)
  deleteFieldOwnership(@Caller() caller: RequestContext, @Param('ref') ref: string, @Param('field') field: string): Promise<void> {
    return this.rules.deleteFieldOwnership(caller, ref, field);
  }

  @Get('service-mappings')
  listServiceMappings(@Caller() caller: RequestContext, @Param('ref') ref: string): Listed<ServiceMapping> {
    return this.rules.listServiceMappings(caller, ref);
  }

  @Post('service-mappings')
  addServiceMapping(@Caller() caller: RequestContext, @Param('ref') ref: string, @Body() dto: AddServiceMappingDto): Promise<ServiceMapping> {
    return this.rules.addServiceMapping(caller, ref, dto);
  }

  @Delete('service-mappings/:pdServiceId')
  @HttpCode(204)
  removeServiceMapping(@Caller() caller: RequestContext, @Param('ref') ref: string, @Param('pdServiceId') pdServiceId: string): Promise<void> {
    return this.rules.removeServiceMapping(caller, ref, pdServiceId);
  }

  @Get('user-mappings')
  listUserMappings(@Caller() caller: RequestContext, @Param('ref') ref: string): Listed<UserMapping> {
    return this.rules.listUserMappings(caller, ref);
  }

  @Post('user-mappings')
  addUserMapping(@Caller() caller: RequestContext, @Param('ref') ref: string, @Body() dto: AddUserMappingDto): Promise<UserMapping> {
    return this.rules.addUserMapping(caller, ref, dto);
  }

  @Delete('user-mappings/:email')
  @HttpCode(204)
  removeUserMapping(@Caller() caller: RequestContext, @Param('ref') ref: string, @Param('email') email: string): Promise<void> {
    return this.rules.removeUserMapping(caller, ref, email);
  }

  @Get('webhook-secrets')
  listWebhookSecrets(@Caller() caller: RequestContext, @Param('ref') ref: string): Listed<WebhookSecretView> {
    return this.rules.listWebhookSecrets(caller, ref);
  }

  @Post('webhook-secrets')
  addWebhookSecret(@Caller() caller: RequestContext, @Param('ref') ref: string, @Body() dto: AddWebhookSecretDto): Promise<WebhookSecretView> {
    return this.rules.addWebhookSecret(caller, ref, dto.secret);
  }

  @Delete('webhook-secrets/:secretId')
  @HttpCode(204)
  removeWebhookSecret(@Caller() caller: RequestContext, @Param('ref') ref: string, @Param('secretId') secretId: string): Promise<void> {
    return this.rules.removeWebhookSecret(caller, ref, secretId);
  }
}
