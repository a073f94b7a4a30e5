// Every e2e file starts and ends with a clean simulator fault configuration, so a test that
// injects latency or 429 storms cannot leak them into the next file (they share one stack).
import { testStack } from '@incident-sync/testing';

async function clearFaults(): Promise<void> {
  await fetch(`${testStack.simulatorUrl}/sim/faults`, { method: 'DELETE' }).catch(() => undefined);
}

beforeAll(clearFaults);
afterAll(clearFaults);
