import { HealthController } from '../health.controller';
import { ServiceRuntimeModule } from '../service-runtime.module';
import { MetricsController } from './metrics.controller';

describe('ServiceRuntimeModule metrics switch', () => {
  const base = { service: 'incidents', internalToken: 'i'.repeat(32), gatewayToken: 'g'.repeat(32) };

  it('serves /metrics by default and not with METRICS_ENABLED=false', () => {
    expect(ServiceRuntimeModule.forRoot(base).controllers).toEqual([HealthController, MetricsController]);
    expect(ServiceRuntimeModule.forRoot({ ...base, metricsEnabled: false }).controllers).toEqual([HealthController]);
  });
});
