import 'reflect-metadata';
import { loadConfig, runService } from '@incident-sync/service-runtime';
import { PagerDutySimEnv } from './pagerduty-sim.env';
import { startSimulator } from './sim-app';

runService(async () => {
  await startSimulator(loadConfig(PagerDutySimEnv));
});
