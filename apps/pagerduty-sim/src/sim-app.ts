import { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { bootstrapService } from '@incident-sync/service-runtime';
import { PagerDutySimEnv } from './pagerduty-sim.env';
import { PagerDutySimModule } from './pagerduty-sim.module';
import { Seed } from './seed';
import { registerSimHooks } from './sim-http';
import { Simulator } from './simulator';

export interface RunningSimulator { app: INestApplication; sim: Simulator; url: string }

/** Boots one simulator (used by main.ts and by the in-process integration tests with PORT=0). */
export async function startSimulator(env: PagerDutySimEnv, seed?: Seed): Promise<RunningSimulator> {
  const sim = new Simulator(env, seed);
  const app = await bootstrapService({
    name: 'pagerduty-sim',
    module: PagerDutySimModule.forRoot(sim),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: 5 * 1024 * 1024,
    beforeListen: async (nest) => {
      registerSimHooks(nest.getHttpAdapter().getInstance() as unknown as FastifyInstance, sim);
    },
  });
  const address = (app.getHttpServer() as { address(): { port: number } | string | null }).address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST}:${port}`;
  if (!env.SIM_PUBLIC_URL) sim.render.setApiBase(url);
  return { app, sim, url };
}
