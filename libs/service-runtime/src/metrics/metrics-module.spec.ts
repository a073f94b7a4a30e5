import { HealthController } from '../health.controller';
import { ServiceRuntimeModule } from '../service-runtime.module';
import { MetricsController } from './metrics.controller';
import { OpenApiController } from '../openapi/openapi-part';

describe('ServiceRuntimeModule metrics switch (the OpenAPI part is served either way)', () => {
  const base = { service: 'incidents', internalToken: 'i'.repeat(32), gatewayToken: 'g'.repeat(32) };

  it('serves /metrics by default and not with METRICS_ENABLED=false', () => {
    expect(ServiceRuntimeModule.forRoot(base).controllers).toEqual([HealthController, MetricsController, OpenApiController]);
    expect(ServiceRuntimeModule.forRoot({ ...base, metricsEnabled: false }).controllers).toEqual([HealthController, OpenApiController]);
  });
});
