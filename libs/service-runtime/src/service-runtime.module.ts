import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppErrorFilter } from './app-error.filter';
import { HealthController } from './health.controller';
import { InternalAuthGuard } from './internal-auth.guard';
import { Metrics, METRICS_OPTIONS } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { OpenApiController, OpenApiPart } from './openapi/openapi-part';
import { ReadinessRegistry } from './readiness.registry';
import { GATEWAY_TOKEN, INTERNAL_TOKEN, SERVICE_NAME } from './service-name.token';

export interface ServiceRuntimeOptions {
  service: string;
  /** Service-to-service credential: accepted everywhere, and the only one `/internal/` accepts. */
  internalToken: string;
  /** The gateway's credential on forwarded public traffic: accepted on `/api/v1` routes only. */
  gatewayToken: string;
  /**
   * Serve GET /metrics (default true; env METRICS_ENABLED). When false the route is absent
   * and no process metrics are collected; services still record theirs, nobody reads them.
   */
  metricsEnabled?: boolean;
}

/** Health, metrics and OpenAPI-part endpoints, the error mapping and the gateway trust check, for every service. */
@Global()
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    const metricsEnabled = options.metricsEnabled ?? true;
    return {
      module: ServiceRuntimeModule,
      controllers: metricsEnabled ? [HealthController, MetricsController, OpenApiController] : [HealthController, OpenApiController],
      providers: [
        ReadinessRegistry,
        Metrics,
        OpenApiPart,
        { provide: METRICS_OPTIONS, useValue: { defaultMetrics: metricsEnabled } },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: INTERNAL_TOKEN, useValue: options.internalToken },
        { provide: GATEWAY_TOKEN, useValue: options.gatewayToken },
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_GUARD, useClass: InternalAuthGuard },
      ],
      exports: [ReadinessRegistry, SERVICE_NAME, Metrics],
    };
  }
}
