import { DynamicModule, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ServiceRuntimeModule } from '@incident-sync/service-runtime';
import { DirectoryController } from './directory.controller';
import { IncidentsController } from './incidents.controller';
import { SimControlController } from './sim-control.controller';
import { SIMULATOR, Simulator } from './simulator';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';

@Module({})
export class PagerDutySimModule {
  static forRoot(sim: Simulator): DynamicModule {
    return {
      module: PagerDutySimModule,
      imports: [
        // Health probes and the shared runtime. The simulator is not behind the gateway: every
        // controller is @Public(), and the internal token is random and never used.
        ServiceRuntimeModule.forRoot({ service: 'pagerduty-sim', internalToken: randomBytes(24).toString('hex') }),
      ],
      // SimControlController before the REST controllers: /sim/* must not be read as a REST path.
      controllers: [SimControlController, IncidentsController, DirectoryController, WebhookSubscriptionsController],
      providers: [{ provide: SIMULATOR, useValue: sim }],
    };
  }
}
