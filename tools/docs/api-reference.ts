import 'reflect-metadata';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiPart } from '@incident-sync/service-runtime';

/**
 * The REST field reference, generated from the same OpenAPI parts the services serve at boot
 * (libs/service-runtime buildOpenApiPart: their /api/v1 controllers and the DTOs'
 * class-validator rules), so it cannot drift: tools/docs/api-reference.spec.ts fails when
 * docs/user/api-reference.md differs. Regenerate from the repository root:
 *   npm run build && node -r ./tools/register-paths.js dist/tools/docs/api-reference.js --write
 * Each service's controllers are loaded without their providers (an empty stand-in for every
 * dependency): building the document only reads decorators, nothing is called.
 */
export const API_REFERENCE_PATH = 'docs/user/api-reference.md';

/** The services behind the gateway's /api/v1, in the order the reference lists them. */
export const API_SERVICES = ['integration-config', 'incidents', 'webhook-ingress', 'sync-engine', 'outbound-dispatcher', 'dlq-manager'] as const;

type Schema = { $ref?: string; type?: string; format?: string; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; [key: string]: unknown };
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, unknown> };

const appsDir = join(__dirname, '..', '..', 'apps');
const PATH_METADATA = 'path';

/** The service's controller classes that serve /api/v1 (one module per `*controller` file). */
function publicControllers(service: string): (new (...args: never[]) => unknown)[] {
  const dir = join(appsDir, service, 'src');
  const files = readdirSync(dir).filter((f) => /controller\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
  const classes = files.flatMap((f) => Object.values(require(join(dir, f.replace(/\.(ts|js)$/, ''))) as Record<string, unknown>));
  return classes.filter((c): c is new (...args: never[]) => unknown => {
    const path: unknown = typeof c === 'function' ? Reflect.getMetadata(PATH_METADATA, c) : undefined;
    return typeof path === 'string' && path.replace(/^\//, '').startsWith('api/v1');
  });
}

/** Each service's OpenAPI part, exactly as `GET /internal/v1/openapi.json` would serve it. */
export async function buildParts(): Promise<Map<string, OpenAPIObject>> {
  const controllers = new Map(API_SERVICES.map((s) => [s, publicControllers(s)]));
  const parts = new Map<string, OpenAPIObject>();
  for (const [service, list] of controllers) {
    const moduleRef = await Test.createTestingModule({ controllers: list }).useMocker(() => ({})).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    parts.set(service, buildOpenApiPart(app, service));
    await app.close();
  }
  return parts;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function typeOf(schema: Schema): string {
  if (schema.$ref) return 'object';
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  return `${schema.type ?? 'any'}${schema.format ? ` (${schema.format})` : ''}`;
}

function rulesOf(schema: Schema): string {
  const s = schema.type === 'array' && schema.items ? { ...schema.items, ...schema } : schema;
  const enumValues = schema.enum ?? schema.items?.enum;
  const rules: string[] = [];
  if (enumValues) rules.push(`one of ${enumValues.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (s.minimum !== undefined) rules.push(`≥ ${String(s.minimum)}`);
  if (s.maximum !== undefined) rules.push(`≤ ${String(s.maximum)}`);
  if (s.minLength !== undefined) rules.push(s.minLength === 1 ? 'not empty' : `at least ${String(s.minLength)} characters`);
  if (s.maxLength !== undefined) rules.push(`at most ${String(s.maxLength)} characters`);
  if (typeof s.pattern === 'string') rules.push(`matches \`${s.pattern.replace(/\|/g, '\\|')}\``);
  return cell(rules.join('; ')).replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Body fields, nested objects flattened as `credentials.token`. */
function bodyFields(schema: Schema, schemas: Record<string, Schema>, prefix = '', depth = 0): string[] {
  const resolved = schema.$ref ? schemas[schema.$ref.split('/').pop() ?? ''] ?? {} : schema;
  const rows: string[] = [];
  for (const [name, field] of Object.entries(resolved.properties ?? {})) {
    const required = (resolved.required ?? []).includes(name) ? 'yes' : '';
    rows.push(`| \`${prefix}${name}\` | body | ${typeOf(field)} | ${required} | ${rulesOf(field)} |`);
    const nested = field.$ref ? field : field.type === 'array' && field.items?.$ref ? field.items : null;
    if (nested && depth < 3) rows.push(...bodyFields(nested, schemas, `${prefix}${name}${nested === field ? '' : '[]'}.`, depth + 1));
  }
  return rows;
}

function renderOperation(method: string, path: string, op: Operation, schemas: Record<string, Schema>): string[] {
  const statuses = Object.keys(op.responses ?? {}).filter((s) => /^2/.test(s)).join(', ');
  const lines = [`### ${method.toUpperCase()} ${path}`, '', `Success: ${statuses || '—'}.`, ''];
  const rows = [
    ...(op.parameters ?? []).map((p) => `| \`${p.name}\` | ${p.in} | ${p.schema ? typeOf(p.schema) : 'string'} | ${p.required ? 'yes' : ''} | ${p.schema ? rulesOf(p.schema) : ''} |`),
    ...Object.values(op.requestBody?.content ?? {}).flatMap((c) => (c.schema ? bodyFields(c.schema, schemas) : [])),
  ];
  if (rows.length === 0) return [...lines, 'No parameters and no body.', ''];
  return [...lines, '| field | in | type | required | rules |', '|---|---|---|---|---|', ...rows, ''];
}

/** The whole reference as markdown. */
export function renderApiReference(parts: Map<string, OpenAPIObject>): string {
  const lines = [
    '# REST API field reference',
    '',
    '<!-- Generated by tools/docs/api-reference.ts from the services\' OpenAPI parts. Do not edit:',
    '     npm run build && node -r ./tools/register-paths.js dist/tools/docs/api-reference.js --write -->',
    '',
    'Every `/api/v1` operation with its path and query parameters and every request-body field, as the',
    'services validate them (a unit test fails when this page and the code differ). Every call but the',
    'PagerDuty webhook delivery carries `Authorization: Bearer <api key>`; bodies and answers are',
    'snake_case JSON; a refused field answers `400 {"error":{"code":"VALIDATION_FAILED","message","field"}}`',
    'and changes nothing. Response bodies are not in the generated document yet: each service\'s README',
    'lists its answers\' fields (linked below). Interactive, with the same operations: `/api/docs` on the gateway.',
    '',
  ];
  for (const [service, part] of parts) {
    const schemas = (part.components?.schemas ?? {}) as Record<string, Schema>;
    lines.push(`## ${service}`, '', `Response fields: the REST (or Endpoints) table of [apps/${service}/README.md](../../apps/${service}/README.md).`, '');
    for (const path of Object.keys(part.paths).sort()) {
      const item = part.paths[path] as Record<string, Operation>;
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[method];
        if (op) lines.push(...renderOperation(method, path, op, schemas));
      }
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

async function main(argv: string[]): Promise<void> {
  const target = resolve(process.cwd(), API_REFERENCE_PATH);
  const rendered = renderApiReference(await buildParts());
  if (argv.includes('--write')) {
    writeFileSync(target, rendered);
    process.stdout.write(`wrote ${API_REFERENCE_PATH}\n`);
  } else if (argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== rendered) {
      process.stderr.write(`${API_REFERENCE_PATH} is stale: regenerate it with --write\n`);
      process.exitCode = 1;
    }
  } else {
    process.stdout.write(rendered);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
