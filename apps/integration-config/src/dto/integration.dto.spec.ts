import { ArgumentMetadata } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { createValidationPipe } from '@incident-sync/service-runtime';
import { CreateIntegrationDto, UpdateIntegrationDto } from './integration.dto';
import { AddServiceMappingDto, SetFieldOwnershipDto } from './integration-rules.dto';

const pipe = createValidationPipe();
const as = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** The documented curl body, verbatim. */
const documented = {
  organization_id: 'acme-corp', integration_type: 'pagerduty', name: 'Production PagerDuty',
  base_url: 'https://api.pagerduty.com', credentials: { token: 'u+secret' },
  sync_direction: 'bidirectional', enabled: true,
};

async function problem(body: unknown, metatype: ArgumentMetadata['metatype'] = CreateIntegrationDto): Promise<AppError> {
  try {
    await pipe.transform(body, as(metatype));
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('integration DTO validation', () => {
  it('accepts the documented create body as written', async () => {
    const dto = (await pipe.transform(documented, as(CreateIntegrationDto))) as CreateIntegrationDto;
    expect(dto).toBeInstanceOf(CreateIntegrationDto);
    expect(dto.credentials?.token).toBe('u+secret');
  });

  it.each([
    [{ integration_type: 'servicenow' }, 'integration_type', /one of: pagerduty/],
    [{ sync_direction: 'sideways' }, 'sync_direction', /none, inbound, outbound, bidirectional/],
    [{ conflict_strategy: 'coin-flip' }, 'conflict_strategy', /last-write-wins/],
    [{ rate_limit: -5 }, 'rate_limit', /less than 1/],
    [{ rate_limit: 'fast' }, 'rate_limit', /integer/],
    [{ backoff_multiplier: 0.5 }, 'backoff_multiplier', /less than 1/],
    [{ credentials: {} }, 'credentials.token', /required/],
    [{ credentials: { token: '' } }, 'credentials.token', /required/],
    [{ slug: 'Prod PD' }, 'slug', /lower-case/],
    [{ from_email: 'not-an-email' }, 'from_email', /email/],
    [{ priority_mapping: { P1: 'SEV-9' } }, 'priority_mapping', /SEV-1/],
    [{ enabled: 'yes' }, 'enabled', /boolean/],
    [{ surprise: 1 }, 'surprise', /should not exist/],
  ])('rejects %j naming %s', async (patch, field, message) => {
    const error = await problem({ ...documented, ...patch });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('requires the type, the name and the base URL', async () => {
    const { integration_type: _t, ...noType } = documented;
    expect((await problem(noType)).field).toBe('integration_type');
    const { name: _n, ...noName } = documented;
    expect((await problem(noName)).field).toBe('name');
    const { base_url: _b, ...noUrl } = documented;
    expect((await problem(noUrl)).field).toBe('base_url');
  });

  it('does not let an update change the type or the organization', async () => {
    expect((await problem({ integration_type: 'pagerduty' }, UpdateIntegrationDto)).field).toBe('integration_type');
    expect((await problem({ organization_id: 'other' }, UpdateIntegrationDto)).field).toBe('organization_id');
    await expect(pipe.transform({ rate_limit: 100, backoff_multiplier: 2 }, as(UpdateIntegrationDto))).resolves.toBeInstanceOf(UpdateIntegrationDto);
  });

  it('validates ownership rules and service mappings', async () => {
    expect((await problem({ owner: 'nobody' }, SetFieldOwnershipDto)).field).toBe('owner');
    expect((await problem({ owner: 'platform', priority: 1.5 }, SetFieldOwnershipDto)).field).toBe('priority');
    expect((await problem({ pd_service_id: 'P1 2', incident_type: 'x' }, AddServiceMappingDto)).field).toBe('pd_service_id');
    expect((await problem({ pd_service_id: 'P123ABC' }, AddServiceMappingDto)).field).toBe('incident_type');
  });

  it('validates what unmapped PagerDuty services do', async () => {
    expect((await problem({ unmapped_services: 'drop' }, UpdateIntegrationDto))).toMatchObject({ field: 'unmapped_services', message: 'unmapped_services must be one of: create, ignore' });
    for (const blank of ['', '   ']) expect((await problem({ default_incident_type: blank }, UpdateIntegrationDto)).field).toBe('default_incident_type');
    expect((await problem({ default_incident_type: 'x'.repeat(201) }, UpdateIntegrationDto)).field).toBe('default_incident_type');
    expect((await problem({ default_incident_type: 7 }, UpdateIntegrationDto)).field).toBe('default_incident_type');
    await expect(pipe.transform({ unmapped_services: 'ignore', default_incident_type: null }, as(UpdateIntegrationDto))).resolves.toBeInstanceOf(UpdateIntegrationDto);
    await expect(pipe.transform({ ...documented, unmapped_services: 'create', default_incident_type: 'triage' }, as(CreateIntegrationDto))).resolves.toBeInstanceOf(CreateIntegrationDto);
  });
});

