import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry, ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { GatewayEnv } from './gateway.env';
import { upstreamUrls } from './route-table';

export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

/** The gateway is ready when every service behind it is; /health/ready lists each one. */
@Module({})
export class GatewayModule implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry, @Inject(GATEWAY_ENV) private readonly env: GatewayEnv) {}

  static forRoot(env: GatewayEnv) {
    return {
      module: GatewayModule,
      imports: [ServiceRuntimeModule.forRoot({ service: 'gateway', internalToken: env.INTERNAL_TOKEN, gatewayToken: env.GATEWAY_TOKEN, metricsEnabled: env.METRICS_ENABLED })],
      providers: [{ provide: GATEWAY_ENV, useValue: env }],
    };
  }

  onModuleInit(): void {
    for (const [name, url] of Object.entries(upstreamUrls(this.env))) {
      this.readiness.register(name, async () => {
        const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1500) });
        if (!response.ok) throw new Error(`${name} answered ${response.status}`);
      });
    }
  }
}
