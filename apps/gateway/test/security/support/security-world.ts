import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { testStack, waitFor } from '@incident-sync/testing';
import { HttpAnswer, LeakLedger, ledgerSummary, RawHttpClient } from './raw-http';

/** The repository root (the test stack's logs and pid files live under .local/run/test, or test-<offset>: scripts/stack.sh). */
export const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 10000);
export const RUN_DIR = join(ROOT, '.local', 'run', OFFSET === 10000 ? 'test' : `test-${OFFSET}`);
const WORLD_FILE = join(RUN_DIR, `security-world-${OFFSET}.json`);
/** Each file's leak findings over the answers it received, for the canary sweep at the end of the tier. */
const LEDGER_DIR = join(RUN_DIR, `security-ledgers-${OFFSET}`);
/** The test profile's ENCRYPTION_KEY (scripts/stack.sh); used only to read back the simulator's subscription secret. */
const ENCRYPTION_KEY = testStack.encryptionKey;

export interface OrgWorld {
  org: string;
  apiKey: string;
  apiKeyId: string;
  integrationId: string;
  slug: string;
  name: string;
  webhookSecretId: string;
  incidentId: string;
  incidentNumber: string;
  pdIncidentId: string;
}

/**
 * The organizations every security file works with (created by the first file that runs,
 * reused by the others while the stack is the same): A, the victim, whose integration holds
 * the canary token and webhook secret and has an incident linked in PagerDuty, a dead letter
 * (a write PagerDuty refused) and an open manual-review conflict; B, another organization with
 * its own linked incident (the attacker's key, and the bystander whose changes must keep flowing).
 */
export interface SecurityWorld {
  runId: string;
  canary: { token: string; webhookSecret: string; subscriptionSecret: string };
  a: OrgWorld & { conflictId: string; deadLetterId: string; subscriptionId: string };
  b: OrgWorld;
}

export const A_SERVICE = 'PSVC002';
export const B_SERVICE = 'PSVC003';
export const BOT_EMAIL = 'incident-sync-bot@example.com';

/** Registers every secret and private name of the world with a ledger. */
export function watchWorld(ledger: LeakLedger, world: SecurityWorld): void {
  ledger.watch('canary PagerDuty token', world.canary.token);
  ledger.watch('canary webhook secret', world.canary.webhookSecret);
  ledger.watch('simulator subscription secret', world.canary.subscriptionSecret);
  ledger.watch('internal token', testStack.internalToken);
}

export class WorldClient {
  readonly gateway: RawHttpClient;
  readonly sim: RawHttpClient;

  constructor(readonly ledger: LeakLedger) {
    this.gateway = new RawHttpClient(testStack.gatewayUrl, ledger);
    this.sim = new RawHttpClient(testStack.simulatorUrl, ledger);
  }

  api(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.gateway.json(method, path, key, body, headers);
  }

  async ok(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const answer = await this.api(method, path, key, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer.json;
  }

  simControl(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    return this.sim.json(method, path, undefined, body);
  }

  close(): void {
    this.gateway.close();
    this.sim.close();
  }
}

const until = <T>(what: string, probe: () => Promise<T | false | undefined>, timeoutMs = 60000): Promise<T> => waitFor(probe, { what, timeoutMs, intervalMs: 300 });

/** The world of this stack: loaded when the saved one is still there, created otherwise. */
export async function securityWorld(client: WorldClient): Promise<SecurityWorld> {
  if (existsSync(WORLD_FILE)) {
    const saved = JSON.parse(readFileSync(WORLD_FILE, 'utf8')) as SecurityWorld;
    watchWorld(client.ledger, saved);
    if (await stillThere(client, saved)) return saved;
  }
  const world = await createWorld(client);
  rmSync(LEDGER_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(WORLD_FILE, JSON.stringify(world, null, 2), { mode: 0o600 });
  return world;
}

async function stillThere(client: WorldClient, world: SecurityWorld): Promise<boolean> {
  const integration = await client.api('GET', `/api/v1/integrations/${world.a.integrationId}`, world.a.apiKey);
  const conflict = await client.api('GET', `/api/v1/conflicts/${world.a.conflictId}`, world.a.apiKey);
  const pd = await client.sim.json('GET', `/incidents/${world.a.pdIncidentId}`, undefined, undefined, { authorization: 'Token token=sim-account-token' });
  return integration.status === 200 && conflict.status === 200 && pd.status === 200;
}

async function createOrg(client: WorldClient, role: string, runId: string, options: { token: string; webhookSecret?: string; service: string; strategy: string; subscribe: boolean }): Promise<OrgWorld & { subscriptionId: string | null }> {
  const admin = testStack.adminApiKey;
  const org = `sec-${role}-${runId}`;
  const key = await client.ok('POST', '/api/v1/api-keys', admin, { organization_id: org, name: `security ${role}` });
  const apiKey: string = key.api_key;
  const slug = `sec-${role}-${runId}`;
  const name = `sec ${role} integration ${runId}`;
  const created = await client.ok('POST', '/api/v1/integrations', apiKey, {
    integration_type: 'pagerduty', name, slug, base_url: testStack.simulatorUrl, credentials: { token: options.token },
    ...(options.webhookSecret ? { webhook_secret: options.webhookSecret } : {}),
    from_email: BOT_EMAIL, sync_direction: 'bidirectional', conflict_strategy: options.strategy, sync_escalations: true, rate_limit: 600,
  });
  const integrationId: string = created.id;
  await client.ok('POST', `/api/v1/integrations/${integrationId}/service-mappings`, apiKey, { pd_service_id: options.service, incident_type: 'security' });
  let subscriptionId: string | null = null;
  if (options.subscribe) {
    const sub = await client.ok('POST', `/api/v1/integrations/${integrationId}/webhook-subscription`, apiKey, { public_url: testStack.gatewayUrl, filter_type: 'service_reference', filter_id: options.service });
    subscriptionId = sub.id;
  }
  const test = await client.api('POST', `/api/v1/integrations/${integrationId}/test`, apiKey);
  if (test.status !== 200) {
    throw new Error(`the connection test of ${role}'s integration answered ${test.status} ${test.text.slice(0, 300)}: the simulator must accept canary-tok-* tokens (scripts/stack.sh sets SIM_ALLOW_TOKENS for the test profile)`);
  }
  const secrets = await client.ok('GET', `/api/v1/integrations/${integrationId}/webhook-secrets`, apiKey);
  const incident = await client.ok('POST', '/api/v1/incidents', apiKey, { title: `sec ${role} incident ${runId}`, description: `${role} description`, severity: 'SEV-3', incident_type: 'security' });
  const link = await until(`${role}'s incident to be linked in PagerDuty`, async () => {
    const links = await client.ok('GET', `/api/v1/integrations/${integrationId}/links?incident=${incident.id}`, apiKey);
    const l = links.data?.[0];
    return l?.pd_incident_id && l.fields?.severity?.agreed !== undefined ? l : false;
  }, 90000);
  return {
    org, apiKey, apiKeyId: key.id, integrationId, slug, name, webhookSecretId: secrets.data?.[0]?.id ?? randomUUID(),
    incidentId: incident.id, incidentNumber: incident.number, pdIncidentId: link.pd_incident_id, subscriptionId,
  };
}

async function createWorld(client: WorldClient): Promise<SecurityWorld> {
  const runId = randomUUID().slice(0, 8);
  const canary = {
    token: `canary-tok-${randomBytes(12).toString('hex')}`,
    webhookSecret: `canary-whsec-${randomBytes(12).toString('hex')}`,
    subscriptionSecret: '',
  };
  client.ledger.watch('canary PagerDuty token', canary.token);
  client.ledger.watch('canary webhook secret', canary.webhookSecret);
  const a = await createOrg(client, 'a', runId, { token: canary.token, webhookSecret: canary.webhookSecret, service: A_SERVICE, strategy: 'manual-review', subscribe: true });
  const b = await createOrg(client, 'b', runId, { token: 'sim-account-token', service: B_SERVICE, strategy: 'ownership-priority', subscribe: false });
  canary.subscriptionSecret = await simulatorSubscriptionSecret(a.integrationId, canary.webhookSecret);
  client.ledger.watch('simulator subscription secret', canary.subscriptionSecret);

  // A write PagerDuty refuses (unknown escalation policy): a dead letter of A, and the canary token used on a failing call.
  await client.ok('PATCH', `/api/v1/incidents/${a.incidentId}`, a.apiKey, { escalation_policy: { id: 'PNOPE99' } });
  const letter = await until('A\'s dead letter', async () => (await client.ok('GET', `/api/v1/dlq?integration=${a.integrationId}`, a.apiKey)).data?.[0], 90000);

  // Both sides change severity while PagerDuty throttles our write: an open manual-review conflict of A.
  await withSimFaults(client, { storm_seconds: 6, path: `^/incidents/${a.pdIncidentId}$` }, async () => {
    await client.ok('PATCH', `/api/v1/incidents/${a.incidentId}`, a.apiKey, { severity: 'SEV-1' });
    await until('the platform edit to be decided', async () => (await client.ok('GET', `/api/v1/integrations/${a.slug}/history?incident=${a.incidentId}`, a.apiKey)).data.some((d: any) => d.source === 'platform-change' && d.field === 'severity'));
    const acted = await client.simControl('POST', `/sim/incidents/${a.pdIncidentId}/priority`, { as: 'dave@example.com', priority: 'P4' });
    if (acted.status >= 300) throw new Error(`sim priority answered ${acted.status}`);
    await until('A\'s conflict', async () => (await client.ok('GET', `/api/v1/conflicts?integration=${a.slug}`, a.apiKey)).data.length > 0);
  });
  const conflict = (await client.ok('GET', `/api/v1/conflicts?integration=${a.slug}`, a.apiKey)).data[0];
  // A few more successful uses of the canary token: a title change and a note.
  await client.ok('PATCH', `/api/v1/incidents/${a.incidentId}`, a.apiKey, { title: `sec a incident ${runId} (edited)` });
  await client.ok('POST', `/api/v1/incidents/${a.incidentId}/notes`, a.apiKey, { body: 'security tier note' });
  return {
    runId,
    canary,
    a: { ...a, conflictId: conflict.id, deadLetterId: letter.id, subscriptionId: a.subscriptionId ?? '' },
    b,
  };
}

async function withSimFaults<T>(client: WorldClient, faults: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  const set = await client.simControl('PUT', '/sim/faults', faults);
  if (set.status >= 300) throw new Error(`PUT /sim/faults answered ${set.status}`);
  try {
    return await work();
  } finally {
    await client.simControl('DELETE', '/sim/faults');
  }
}

/**
 * PagerDuty shows a subscription's signing secret once, in the create response, and
 * integration-config stores it encrypted. The suite reads it back (test key, test database)
 * only to search for it afterwards.
 */
async function simulatorSubscriptionSecret(integrationId: string, known: string): Promise<string> {
  const db = new Client({ connectionString: testStack.databaseUrl });
  await db.connect();
  try {
    const rows = (await db.query<{ id: string; ciphertext: string }>('SELECT id, ciphertext FROM integration_config.webhook_secret WHERE integration_id = $1', [integrationId])).rows;
    const plain = rows.map((r) => decrypt(r.ciphertext, `integration:${integrationId}:webhook-secret:${r.id}`)).filter((s) => s !== known);
    if (plain.length !== 1 || !plain[0]) throw new Error(`expected one simulator subscription secret for ${integrationId}, found ${plain.length}`);
    return plain[0];
  } finally {
    await db.end();
  }
}

function decrypt(stored: string, context: string): string {
  const [, iv, tag, ciphertext] = stored.split('.');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(ENCRYPTION_KEY, 'base64'), Buffer.from(iv ?? '', 'base64url'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext ?? '', 'base64url')), decipher.final()]).toString('utf8');
}

/** Saves one file's findings (what leaked where, never the markers' values beyond an excerpt) for the sweep. */
export function saveLedger(file: string, ledger: LeakLedger): void {
  mkdirSync(LEDGER_DIR, { recursive: true });
  writeFileSync(join(LEDGER_DIR, `${file}.json`), JSON.stringify({ scanned: ledger.scanned, findings: ledgerSummary(ledger) }), { mode: 0o600 });
}

/** Every saved ledger of this world: file → answers scanned and findings. */
export function savedLedgers(): Record<string, { scanned: number; findings: string[] }> {
  if (!existsSync(LEDGER_DIR)) return {};
  return Object.fromEntries(readdirSync(LEDGER_DIR).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(LEDGER_DIR, f), 'utf8'))]));
}
