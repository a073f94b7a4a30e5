import { randomBytes } from 'node:crypto';
import { loadConfig } from '@incident-sync/service-runtime';
import { DlqManagerEnv } from '../../apps/dlq-manager/src/dlq-manager.env';
import { GatewayEnv } from '../../apps/gateway/src/gateway.env';
import { IncidentsEnv } from '../../apps/incidents/src/incidents.env';
import { BaseUrlPolicy } from '../../apps/integration-config/src/base-url.policy';
import { IntegrationConfigEnv } from '../../apps/integration-config/src/integration-config.env';
import { OutboundDispatcherEnv } from '../../apps/outbound-dispatcher/src/outbound-dispatcher.env';
import { PagerDutySimEnv } from '../../apps/pagerduty-sim/src/pagerduty-sim.env';
import { SyncEngineEnv } from '../../apps/sync-engine/src/sync-engine.env';
import { WebhookIngressEnv } from '../../apps/webhook-ingress/src/webhook-ingress.env';
import { appOf, ComposeInterpolationError, composeText, containerEnvironment, interpolate, k8sDocuments, loadCompose } from './compose-file';

/**
 * What docker-compose.yml and deploy/k8s give the services, checked against the services'
 * own configuration classes (there is no Docker here, so this is `docker compose config`
 * plus each service's startup validation).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ENV_CLASSES: Record<string, new () => any> = {
  gateway: GatewayEnv,
  'integration-config': IntegrationConfigEnv,
  incidents: IncidentsEnv,
  'webhook-ingress': WebhookIngressEnv,
  'sync-engine': SyncEngineEnv,
  'outbound-dispatcher': OutboundDispatcherEnv,
  'dlq-manager': DlqManagerEnv,
  'pagerduty-sim': PagerDutySimEnv,
};

const SECRETS = ['INTERNAL_TOKEN', 'GATEWAY_TOKEN', 'ADMIN_API_KEY', 'ENCRYPTION_KEY'] as const;
const REQUIRED = [...SECRETS, 'POSTGRES_PASSWORD'];

/** What the README's generator line writes into .env. */
function generatedDotEnv(): Record<string, string> {
  return {
    INTERNAL_TOKEN: randomBytes(32).toString('hex'),
    GATEWAY_TOKEN: randomBytes(32).toString('hex'),
    ADMIN_API_KEY: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  };
}

/** Every value that was ever a default or template in compose / k8s, and typical placeholders. */
const PLACEHOLDERS: Record<(typeof SECRETS)[number], string[]> = {
  INTERNAL_TOKEN: ['local-internal-token-change-me', 'replace-with-32-random-bytes-hex', 'changeme', 'change-me-0123456789abcdefghijklmnopq', 'secret', 'placeholder-internal-token-0123456789ab', 'example-token-0123456789abcdefghijklmnop', 'test-internal-token-0123456789'],
  GATEWAY_TOKEN: ['replace-with-other-32-random-bytes-hex', 'test-gateway-token-0123456789abcdef0123', 'changeme', 'placeholder-gateway-token-0123456789ab'],
  ADMIN_API_KEY: ['local-admin-key-change-me', 'replace-with-a-long-random-key', 'changeme', 'my-admin-secret-0123456789abcdefghijklmn', 'test-admin-key-0123456789abcdef'],
  ENCRYPTION_KEY: ['bG9jYWwtb25seS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=', 'replace-with-base64-of-32-random-bytes', Buffer.from('test-encryption-key-32-bytes!!!!').toString('base64'), Buffer.alloc(32).toString('base64'), 'changeme'],
};

function services(vars: Record<string, string | undefined>): Array<[name: string, app: string, env: Record<string, string>]> {
  const compose = loadCompose(vars);
  return Object.entries(compose.services)
    .map(([name, service]) => [name, appOf(service), containerEnvironment(service)] as const)
    .filter((entry): entry is readonly [string, string, Record<string, string>] => entry[1] !== null)
    .map(([name, app, env]) => [name, app, env]);
}

describe('docker-compose.yml', () => {
  it('requires every secret with the ${VAR:?…} form and gives none of them a default', () => {
    const text = composeText();
    for (const name of REQUIRED) {
      expect(text).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]*README[^}]*\\}`));
      expect(text).not.toMatch(new RegExp(`\\$\\{${name}:?[-+]`));
    }
    // No secret is written literally either: every occurrence of the variable is an interpolation.
    for (const name of SECRETS) {
      for (const line of text.split('\n').filter((l) => new RegExp(`^\\s*${name}:`).test(l))) expect(line).toMatch(new RegExp(`${name}: \\$\\{${name}:\\?`));
    }
  });

  it.each(REQUIRED)('refuses to start without %s (unset or empty), naming it', (name) => {
    for (const value of [undefined, '']) {
      const vars = { ...generatedDotEnv(), [name]: value };
      let error: unknown;
      try {
        loadCompose(vars);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ComposeInterpolationError);
      expect((error as ComposeInterpolationError).variable).toBe(name);
      expect((error as Error).message).toMatch(/README/);
    }
  });

  it('starts every service: each accepts exactly the environment compose gives it', () => {
    const vars = generatedDotEnv();
    const all = services(vars);
    expect(all.map(([, app]) => app).sort()).toEqual(Object.keys(ENV_CLASSES).sort());
    for (const [name, app, env] of all) {
      const cls = ENV_CLASSES[app]!;
      let config: Record<string, unknown>;
      try {
        config = loadConfig(cls, env) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
      expect(config.LOG_FORMAT).toBe('json');
      if (app !== 'pagerduty-sim') expect(config.INTERNAL_TOKEN).toBe(vars.INTERNAL_TOKEN);
      if (app !== 'pagerduty-sim') expect(String(config.DATABASE_URL ?? env.DATABASE_URL)).toBe(`postgres://postgres:${vars.POSTGRES_PASSWORD}@postgres:5432/incident_sync`);
    }
    const ic = loadConfig(IntegrationConfigEnv, all.find(([, app]) => app === 'integration-config')![2]);
    expect(ic).toMatchObject({ ENCRYPTION_KEY: vars.ENCRYPTION_KEY, ADMIN_API_KEY: vars.ADMIN_API_KEY, ALLOW_LOCAL_BASE_URLS: false, BASE_URL_HTTP_ALLOW_LIST: [], BASE_URL_ALLOW_LIST: ['api.pagerduty.com', 'api.eu.pagerduty.com'] });
  });

  it.each(SECRETS)('every service that reads %s refuses each placeholder, naming the variable and not the value', (name) => {
    for (const placeholder of PLACEHOLDERS[name]) {
      const readers = services({ ...generatedDotEnv(), [name]: placeholder }).filter(([, , env]) => name in env);
      expect(readers.length).toBeGreaterThan(0);
      for (const [service, app, env] of readers) {
        let message = '';
        try {
          loadConfig(ENV_CLASSES[app]!, env);
        } catch (error) {
          message = (error as Error).message;
        }
        expect({ service, placeholder, refused: message.includes(name) }).toEqual({ service, placeholder, refused: true });
        expect(message).not.toContain(placeholder);
      }
    }
  });

  it('keeps local base URLs off; the simulator is reachable with exactly one setting', () => {
    const text = composeText();
    expect(text).not.toMatch(/^\s*ALLOW_LOCAL_BASE_URLS:/m);
    const withSimulator = services({ ...generatedDotEnv(), BASE_URL_HTTP_ALLOW_LIST: 'http://pagerduty-sim:8090' });
    const env = loadConfig(IntegrationConfigEnv, withSimulator.find(([, app]) => app === 'integration-config')![2]);
    const policy = new BaseUrlPolicy({ allowList: env.BASE_URL_ALLOW_LIST, allowLocal: env.ALLOW_LOCAL_BASE_URLS, httpOrigins: env.BASE_URL_HTTP_ALLOW_LIST });
    expect(policy.check('http://pagerduty-sim:8090')).toBe('http://pagerduty-sim:8090');
    expect(policy.checkPublicUrl('http://gateway:8080', 'public_url', 'http://pagerduty-sim:8090')).toBe('http://gateway:8080');
    expect(() => policy.check('http://127.0.0.1:8090')).toThrow(/loopback/);
    expect(() => policy.check('http://metadata.internal')).toThrow(/https/);

    const without = services(generatedDotEnv());
    const strict = loadConfig(IntegrationConfigEnv, without.find(([, app]) => app === 'integration-config')![2]);
    expect(() => new BaseUrlPolicy({ allowList: strict.BASE_URL_ALLOW_LIST, allowLocal: strict.ALLOW_LOCAL_BASE_URLS, httpOrigins: strict.BASE_URL_HTTP_ALLOW_LIST }).check('http://pagerduty-sim:8090'))
      .toThrow(/BASE_URL_HTTP_ALLOW_LIST/);
    // The simulator service answers on the URL that setting names.
    const sim = loadCompose(generatedDotEnv()).services['pagerduty-sim']!;
    expect(sim.environment).toMatchObject({ PORT: 8090 });
  });

  it('publishes only the gateway and the simulator, on 127.0.0.1 by default', () => {
    const compose = loadCompose(generatedDotEnv());
    const published = Object.fromEntries(Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name, s]) => [name, s.ports]));
    expect(published).toEqual({ gateway: ['127.0.0.1:8080:8080'], 'pagerduty-sim': ['127.0.0.1:8090:8090'] });
    expect(loadCompose({ ...generatedDotEnv(), GATEWAY_PUBLISH: '0.0.0.0:8080' }).services.gateway!.ports).toEqual(['0.0.0.0:8080:8080']);
  });
});

describe('compose interpolation (the reader the tests above rely on)', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['${A:-d}', {}, 'd'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A:+alt}', { A: 'x' }, 'alt'],
    ['$$A', { A: 'x' }, '$A'],
    ['p:${A}@h', { A: 'pw' }, 'p:pw@h'],
  ])('%s with %j is %j', (text, vars, expected) => {
    expect(interpolate(text, vars)).toBe(expected);
  });

  it('${A?e} accepts an empty value, ${A:?e} does not', () => {
    expect(interpolate('${A?e}', { A: '' })).toBe('');
    expect(() => interpolate('${A:?e}', { A: '' })).toThrow(ComposeInterpolationError);
  });
});

describe('deploy/k8s', () => {
  const docs = k8sDocuments();

  it('ships no Secret (operators create it; re-applying the manifests never resets it)', () => {
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    const text = JSON.stringify(docs);
    for (const name of SECRETS) expect(text).not.toMatch(new RegExp(`"${name}":`));
  });

  it('every Deployment requires the Secret, and accepts the ConfigMap plus generated secrets', () => {
    const configMap = docs.find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> };
    expect(configMap.data).toMatchObject({ ALLOW_LOCAL_BASE_URLS: 'false', LOG_FORMAT: 'json', BASE_URL_HTTP_ALLOW_LIST: '' });
    const deployments = docs.filter((d) => d.kind === 'Deployment') as Array<{ metadata: { name: string }; spec: { template: { spec: { containers: Array<{ args: string[]; env: Array<{ name: string; value: string }>; envFrom: Array<{ secretRef?: { name: string; optional?: boolean } }> }> } } } }>;
    expect(deployments.length).toBeGreaterThan(0);
    const secret = { ...generatedDotEnv(), DATABASE_URL: 'postgres://incident_sync:pw@postgres.database:5432/incident_sync' };
    for (const deployment of deployments) {
      const container = deployment.spec.template.spec.containers[0]!;
      expect(container.envFrom).toContainEqual({ secretRef: { name: 'incident-sync', optional: false } });
      const app = appOf({ command: container.args })!;
      const env = { ...configMap.data, ...secret, ...Object.fromEntries(container.env.map((e) => [e.name, e.value])) };
      expect(() => loadConfig(ENV_CLASSES[app]!, env)).not.toThrow();
      for (const [name, values] of Object.entries(PLACEHOLDERS)) {
        if (app !== 'integration-config' && name !== 'INTERNAL_TOKEN' && name !== 'GATEWAY_TOKEN') continue;
        for (const value of values) expect(() => loadConfig(ENV_CLASSES[app]!, { ...env, [name]: value })).toThrow(new RegExp(name));
      }
    }
  });
});
