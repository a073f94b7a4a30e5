import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { PagerDutySimEnv } from '../src/pagerduty-sim.env';
import { RunningSimulator, startSimulator } from '../src/sim-app';

/** Boots a simulator in-process on a random port (integration tests). */
export async function bootSim(overrides: Partial<Record<keyof PagerDutySimEnv, string | number | boolean>> = {}): Promise<RunningSimulator & { close(): Promise<void> }> {
  const env = plainToInstance(PagerDutySimEnv, { PORT: 0, LOG_LEVEL: 'error', SIM_WEBHOOK_RETRY_DELAYS_MS: '30,60,90', SIM_WEBHOOK_TIMEOUT_MS: 1000, ...overrides }, { exposeDefaultValues: true, enableImplicitConversion: true });
  const running = await startSimulator(env);
  return { ...running, close: () => running.app.close() };
}

// Loose JSON access on HTTP bodies, as ESLint allows in test files (this helper serves them).
type LooseJson = any;

export interface Received { headers: IncomingMessage['headers']; raw: Buffer; body: LooseJson; at: number }

/** A local HTTP server receiving webhooks; `respond` picks each answer's status (default 202). */
export async function webhookReceiver(respond: (r: Received, index: number) => number | Promise<number> = () => 202): Promise<{ url: string; received: Received[]; server: Server; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')), at: Date.now() };
      received.push(entry);
      void Promise.resolve(respond(entry, received.length - 1)).then((status) => {
        res.statusCode = status;
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pagerduty`,
    received,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Http { status: number; headers: Headers; body: LooseJson }

/** A minimal PD REST client: `Token token=` auth and the v2 Accept header. */
export function pd(base: string, token = 'sim-account-token', from: string | null = 'incident-sync-bot@example.com') {
  return async (method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Http> => {
    const headers: Record<string, string> = { Accept: 'application/vnd.pagerduty+json;version=2', Authorization: `Token token=${token}`, ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (from && method !== 'GET' && !('From' in extraHeaders)) headers.From = from;
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}

export function newIncidentBody(overrides: Record<string, unknown> = {}): { incident: Record<string, unknown> } {
  return { incident: { type: 'incident', title: 'Checkout latency', service: { id: 'PSVC001', type: 'service_reference' }, ...overrides } };
}
