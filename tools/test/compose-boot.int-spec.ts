import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient, testStack, uniqueId, waitFor } from '@incident-sync/testing';
import { containerEnvironment, loadCompose, ROOT } from './compose-file';

/**
 * Boots the compiled integration-config and gateway with the environment docker-compose.yml
 * gives their containers (generated .env secrets), changing only the network addresses that
 * exist inside compose's network (postgres:5432, kafka:9092, integration-config:8081, the
 * ports) to this machine's test stack, in a database of its own. Then: the product answers
 * through the gateway, logs are JSON lines without secrets, and a placeholder secret stops
 * the service at boot with one line naming the variable.
 */

/** `output`: stdout, where the logger writes; `errors`: stderr (Node's own warnings, if any). */
interface Running { child: ChildProcess; output: string[]; errors: string[]; exited: Promise<number | null> }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function start(app: string, env: Record<string, string>): Running {
  const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is not built: run npx tsc -p tsconfig.build.json first (scripts/test.sh does)`);
  const child = spawn(process.execPath, ['-r', join(ROOT, 'tools', 'register-paths.js'), main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lineCollector = (into: string[]): ((chunk: Buffer) => void) => {
    let pending = '';
    return (chunk) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      into.push(...lines.filter((l) => l.length > 0));
    };
  };
  const output: string[] = [];
  const errors: string[] = [];
  child.stdout.on('data', lineCollector(output));
  child.stderr.on('data', lineCollector(errors));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, errors, exited };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null) return;
  running.child.kill('SIGTERM');
  await running.exited;
}

describe('the services boot with the environment docker-compose.yml gives them', () => {
  const dotEnv = {
    INTERNAL_TOKEN: randomBytes(32).toString('hex'),
    GATEWAY_TOKEN: randomBytes(32).toString('hex'),
    ADMIN_API_KEY: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  };
  const compose = loadCompose(dotEnv);
  const database = `${new URL(testStack.databaseUrl).pathname.slice(1)}_compose`;
  const databaseUrl = Object.assign(new URL(testStack.databaseUrl), { pathname: `/${database}` }).toString();
  const org = uniqueId('compose-org');
  let admin: Client;
  let configService: Running | undefined;
  let gateway: Running | undefined;
  let gatewayUrl: string;
  let orgKey = '';

  /** Compose's environment for `service`, with only the in-network addresses moved to this machine. */
  const environmentOf = (service: string, addresses: Record<string, string>): Record<string, string> => {
    const env = containerEnvironment(compose.services[service]!);
    for (const key of Object.keys(addresses)) expect(env).toHaveProperty(key);
    return { ...env, ...addresses };
  };

  beforeAll(async () => {
    admin = new Client({ connectionString: testStack.databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
    const [configPort, gatewayPort] = [await freePort(), await freePort()];
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const network = { HOST: '127.0.0.1', DATABASE_URL: databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(',') };
    configService = start('integration-config', environmentOf('integration-config', { ...network, PORT: String(configPort) }));
    await waitFor(async () => configService!.child.exitCode === null && (await fetch(`http://127.0.0.1:${configPort}/health/ready`)).ok, { timeoutMs: 90000, what: 'integration-config ready' });
    gateway = start('gateway', environmentOf('gateway', { ...network, PORT: String(gatewayPort), INTEGRATION_CONFIG_URL: `http://127.0.0.1:${configPort}` }));
    await waitFor(async () => gateway!.child.exitCode === null && (await fetch(`${gatewayUrl}/health/live`)).ok, { timeoutMs: 90000, what: 'gateway live (ready needs every service behind it, not booted here)' });
  }, 240000);

  afterAll(async () => {
    await stop(gateway);
    await stop(configService);
    await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    await admin?.end();
  });

  it('answers through the gateway with the admin key from .env', async () => {
    const created = await new ApiClient(gatewayUrl, dotEnv.ADMIN_API_KEY).post<{ api_key: string }>('/api/v1/api-keys', { organization_id: org, name: 'ops\n{"level":"fatal","msg":"forged"}' });
    expect(created.status).toBe(201);
    orgKey = created.body.api_key;
    expect((await new ApiClient(gatewayUrl, orgKey).get('/api/v1/integrations')).status).toBe(200);
    expect((await new ApiClient(gatewayUrl, 'local-admin-key-change-me').get('/api/v1/integrations')).status).toBe(401);
  });

  it('keeps the simulator unreachable until BASE_URL_HTTP_ALLOW_LIST names it, and says so', async () => {
    const response = await new ApiClient(gatewayUrl, dotEnv.ADMIN_API_KEY).withHeaders({ 'x-organization-id': org }).post<{ error: { field: string; message: string } }>('/api/v1/integrations', {
      organization_id: org, integration_type: 'pagerduty', name: 'Simulated', slug: 'sim', base_url: 'http://pagerduty-sim:8090',
      credentials: { token: 'sim-account-token' }, sync_direction: 'bidirectional', enabled: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('base_url');
    expect(response.body.error.message).toMatch(/BASE_URL_HTTP_ALLOW_LIST/);
  });

  it('logs one JSON object per line, caller values as fields, no secret anywhere', async () => {
    const lines = await waitFor(() => {
      const all = [...configService!.output, ...gateway!.output];
      return all.some((l) => l.includes('API key created')) && all;
    }, { what: 'the API key creation log line' });
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 200)}`);
      }
    });
    for (const r of records) expect(r).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
    expect(records).toContainEqual(expect.objectContaining({ service: 'integration-config', msg: 'API key created', keyName: 'ops\n{"level":"fatal","msg":"forged"}', organizationId: org }));
    expect(records.some((r) => r.msg === 'forged')).toBe(false);
    const text = [...lines, ...configService!.errors, ...gateway!.errors].join('\n');
    for (const secret of [...Object.values(dotEnv), orgKey]) expect(text).not.toContain(secret);
  });

  it.each([
    ['INTERNAL_TOKEN', 'local-internal-token-change-me'],
    ['ENCRYPTION_KEY', 'bG9jYWwtb25seS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU='],
    ['ADMIN_API_KEY', 'replace-with-a-long-random-key'],
  ])('refuses to boot with %s set to a shipped placeholder, naming it and not its value', async (name, value) => {
    const port = await freePort();
    const env = { ...environmentOf('integration-config', { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, KAFKA_BROKERS: testStack.kafkaBrokers.join(',') }), [name]: value };
    const refused = start('integration-config', env);
    expect(await refused.exited).toBe(1);
    const fatal = refused.output.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(String(fatal[0]!.msg)).toMatch(new RegExp(`${name}.*(placeholder|published)`));
    expect([...refused.output, ...refused.errors].join('\n')).not.toContain(value);
  }, 120000);
});
