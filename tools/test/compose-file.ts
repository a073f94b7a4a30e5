import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Reads docker-compose.yml the way `docker compose config` does, for the tests of what the
 * containers receive (there is no Docker here): YAML with anchors and merge keys, then
 * variable interpolation per the Compose specification — `$$`, `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`.
 */

export const ROOT = join(__dirname, '..', '..');

export class ComposeInterpolationError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`required variable ${variable} is missing a value: ${message}`);
  }
}

const EXPRESSION = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(EXPRESSION, (_all, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (dollar) return '$';
    const name = (braced ?? bare) as string;
    const value = vars[name];
    const unset = value === undefined;
    const empty = unset || value === '';
    switch (op) {
      case undefined: return value ?? '';
      case ':-': return empty ? (arg ?? '') : (value as string);
      case '-': return unset ? (arg ?? '') : (value as string);
      case ':?': if (empty) throw new ComposeInterpolationError(name, arg ?? ''); return value as string;
      case '?': if (unset) throw new ComposeInterpolationError(name, arg ?? ''); return value as string;
      case ':+': return empty ? '' : (arg ?? '');
      case '+': return unset ? '' : (arg ?? '');
      default: throw new Error(`unsupported interpolation ${op}`);
    }
  });
}

function interpolateAll(node: unknown, vars: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateAll(n, vars));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return node;
}

export interface ComposeService {
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  profiles?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function composeText(): string {
  return readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
}

/** The compose model after interpolation with `vars` (what `docker compose config` prints). */
export function loadCompose(vars: Readonly<Record<string, string | undefined>>, text = composeText()): ComposeFile {
  return interpolateAll(parse(text, { merge: true }), vars) as ComposeFile;
}

/** `ENV a=b c=d` of the image's final stage (deploy/docker/Dockerfile): every container starts with them. */
export function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'deploy', 'docker', 'Dockerfile'), 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [key, ...rest] = pair.split('=');
      if (key) env[key] = rest.join('=');
    }
  }
  return env;
}

/** The environment one container receives: the image's ENV overlaid with the service's `environment`. */
export function containerEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = { ...imageEnvironment() };
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (value !== null && value !== undefined) env[key] = String(value);
  }
  return env;
}

/** `dist/apps/<app>/src/main.js` → `<app>` (the image's entry point per service). */
export function appOf(service: ComposeService): string | null {
  const match = /^dist\/apps\/([a-z-]+)\/src\/main\.js$/.exec(service.command?.[0] ?? '');
  return match?.[1] ?? null;
}

/** Every YAML document of deploy/k8s/incident-sync.yaml. */
export function k8sDocuments(): Array<Record<string, unknown>> {
  const text = readFileSync(join(ROOT, 'deploy', 'k8s', 'incident-sync.yaml'), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
}
