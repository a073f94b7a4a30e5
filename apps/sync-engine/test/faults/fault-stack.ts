import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testStack } from '@incident-sync/testing';
import { Rng } from './rng';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../../..');

/**
 * The fault tier's hands on the stack that scripts/faults.sh started: it crashes and restarts
 * services (SIGKILL, as a machine failure would), restarts the Kafka broker and the PostgreSQL
 * cluster of the fault tier (never the ones `npm start` or `npm test` use), and sets the
 * simulator's PagerDuty faults. Every call inherits the environment faults.sh exported.
 */
export class FaultStack {
  /** What was injected, by kind, for the note. */
  readonly injected: Record<string, number> = {};
  private webhookFaults: Record<string, unknown> = {};
  private pagerDutyTurn: Promise<void> = Promise.resolve();

  constructor(private readonly log: (line: string) => void) {}

  static services(): string[] {
    const replicas = (process.env.STACK_REPLICAS ?? '').split(/\s+/).filter(Boolean).map((s) => `${s}-2`);
    return ['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager', 'gateway', ...replicas];
  }

  async crash(service: string): Promise<void> {
    await this.sh('scripts/stack.sh', ['crash', service, '--profile', 'test']);
    this.count(`SIGKILL + restart ${service}`);
  }

  async restartKafka(): Promise<void> {
    await this.sh('deploy/local/kafka.sh', ['stop']);
    await this.sh('deploy/local/kafka.sh', ['start']);
    this.count('Kafka broker restart');
  }

  async restartPostgres(downMs: number): Promise<void> {
    await this.sh('deploy/local/postgres.sh', ['stop']);
    await new Promise((r) => setTimeout(r, downMs));
    await this.sh('deploy/local/postgres.sh', ['ensure'], { PGDATABASE_NAME: databaseName() });
    this.count('PostgreSQL restart');
  }

  /** Webhook faults stay on for the whole load (duplicated, delayed so reordered). */
  async setWebhookFaults(faults: Record<string, unknown>): Promise<void> {
    this.webhookFaults = faults;
    await this.putFaults({});
  }

  /** A REST fault on the product's PagerDuty token for `ms`, then back to the webhook faults alone. */
  async pagerDutyFault(kind: string, rest: Record<string, unknown>, ms: number): Promise<void> {
    // The simulator holds one REST fault at a time: PagerDuty faults queue behind each other
    // (infrastructure faults overlap them freely).
    const turn = this.pagerDutyTurn.then(async () => {
      await this.putFaults(rest);
      this.count(kind);
      await new Promise((r) => setTimeout(r, ms));
      await this.putFaults({});
    });
    this.pagerDutyTurn = turn.catch(() => undefined);
    await turn;
  }

  async clearPagerDutyFaults(): Promise<void> {
    await fetch(`${testStack.simulatorUrl}/sim/faults`, { method: 'DELETE' });
  }

  /** A plan of fault events in a seeded random order, spread over [startMs, endMs]. */
  plan(rng: Rng, startMs: number, endMs: number): { atMs: number; name: string; run: () => Promise<void> }[] {
    const events: { name: string; run: () => Promise<void> }[] = [
      ...FaultStack.services().map((s) => ({ name: `crash ${s}`, run: () => this.crash(s) })),
      { name: 'kafka restart', run: () => this.restartKafka() },
      { name: 'postgres restart', run: () => this.restartPostgres(3000) },
    ];
    for (let i = 0; i < 2; i++) {
      events.push({ name: 'PagerDuty 5xx burst', run: () => this.pagerDutyFault('PagerDuty 5xx burst (50% for 10 s)', { rest_error_rate: 0.5, rest_error_status: rng.pick([500, 502, 503]), token: 'sim-account-token' }, 10000) });
      events.push({ name: 'PagerDuty 429 storm', run: () => this.pagerDutyFault('PagerDuty 429 storm (8 s, ratelimit-reset)', { storm_seconds: 8, token: 'sim-account-token' }, 8000) });
      events.push({ name: 'PagerDuty timeouts after store', run: () => this.pagerDutyFault('PagerDuty answers after the timeout, write stored (30% for 12 s)', { answer_delay_rate: 0.3, answer_delay_ms: 4000, path: '^/incidents', token: 'sim-account-token' }, 12000) });
    }
    const order = rng.shuffle(events);
    const step = (endMs - startMs) / Math.max(1, order.length - 1);
    return order.map((e, i) => ({ ...e, atMs: Math.round(startMs + i * step) }));
  }

  private async putFaults(rest: Record<string, unknown>): Promise<void> {
    // One global configuration in the simulator: the webhook faults carry no token scope
    // (they would otherwise only match deliveries "for" that token); REST faults carry one.
    const body = { ...this.webhookFaults, ...rest };
    const response = await fetch(`${testStack.simulatorUrl}/sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`PUT /sim/faults answered ${response.status}: ${await response.text()}`);
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    this.log(`fault: ${kind}`);
  }

  private async sh(script: string, args: string[], env: Record<string, string> = {}): Promise<void> {
    try {
      await run('bash', [join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 300000, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${script} ${args.join(' ')} failed: ${e.message}\n${(e.stderr ?? '').slice(-2000)}`);
    }
  }
}

export function databaseName(): string {
  const offset = Number(process.env.TEST_PORT_OFFSET ?? 10000);
  return offset === 10000 ? 'incident_sync_test' : `incident_sync_test_${offset}`;
}
