import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthController, ReadinessRegistry, SERVICE_NAME } from '@incident-sync/service-runtime';
import { DirectoryController } from './directory.controller';
import { PdErrorFilter } from './sim-http';
import { IncidentsController } from './incidents.controller';
import { SimControlController } from './sim-control.controller';
import { SIMULATOR, Simulator } from './simulator';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

@Module({})
export class PagerDutySimModule {
  static forRoot(sim: Simulator): DynamicModule {
    return {
      module: PagerDutySimModule,
      // Not ServiceRuntimeModule: the simulator is not behind the gateway (no internal-token
      // guard), and every error — also unknown routes and unparsable bodies, which no
      // controller sees — must be PagerDuty's error body, not the product's.
      controllers: [HealthController, SimControlController, IncidentsController, DirectoryController, WebhookSubscriptionsController],
      providers: [
        { provide: SIMULATOR, useValue: sim },
        { provide: SERVICE_NAME, useValue: 'pagerduty-sim' },
        ReadinessRegistry,
        { provide: APP_FILTER, useClass: PdErrorFilter },
      ],
    };
  }
}
