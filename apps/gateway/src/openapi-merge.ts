import { routeFor, Upstream } from './route-table';

/** The slice of an OpenAPI 3 document the merge reads and writes. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: Array<Record<string, string[]>>;
  tags?: Array<{ name: string; description?: string }>;
  [key: string]: unknown;
}

export const API_KEY_SCHEME = 'apiKey';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SCHEMA_REF = '#/components/schemas/';

/** Rewrites every `$ref` to a renamed schema, anywhere in a JSON value. */
function renameRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renamed));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)) {
      const name = v.slice(SCHEMA_REF.length);
      out[key] = SCHEMA_REF + (renamed.get(name) ?? name);
    } else {
      out[key] = renameRefs(v, renamed);
    }
  }
  return out;
}

/** Every error, from any service or the gateway: `{"error":{"code","message","field"}}` (libs/contracts ErrorBody). */
const ERROR_SCHEMA = 'Error';
const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'VALIDATION_FAILED' },
        message: { type: 'string' },
        field: { type: 'string', description: 'The input at fault, when there is one.' },
      },
    },
  },
};

/** Each operation's non-success answers: the one error body, with its status and code. */
function withErrors(operation: Record<string, unknown>): Record<string, unknown> {
  const responses = { ...(operation.responses as Record<string, unknown>) };
  responses.default ??= { description: 'An error: the status and `error.code` say which', content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}${ERROR_SCHEMA}` } } } };
  return { ...operation, responses };
}

const pascal = (service: string): string => service.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** Stable JSON (sorted keys): two schemas are the same when their canonical texts are. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * One reference from the services' parts. Paths are kept as documented (all under /api/v1);
 * a path two services both document, or one the gateway would route to another service than
 * the one that documents it, is an error (the route table and the controllers disagree).
 * Component schemas: the same name with the same content is kept once; a name two services
 * use for different schemas is namespaced (`IncidentsListQuery`) and its refs rewritten.
 * Every operation is tagged with its service and requires the API key, except the gateway's
 * public routes (the webhook delivery, authenticated by PagerDuty's signature).
 */
export function mergeOpenApiParts(parts: ReadonlyArray<{ service: Upstream; document: OpenApiDocument }>, info: OpenApiDocument['info']): OpenApiDocument {
  // The gateway's own Error schema keeps its name; a service's different `Error` is namespaced.
  const owners = new Map<string, Array<{ service: Upstream | 'gateway'; schema: unknown }>>([[ERROR_SCHEMA, [{ service: 'gateway', schema: ERROR_BODY }]]]);
  for (const { service, document } of parts) {
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) owners.set(name, [...(owners.get(name) ?? []), { service, schema }]);
  }
  const clashing = new Set([...owners].filter(([, list]) => new Set(list.map((o) => canonical(o.schema))).size > 1).map(([name]) => name));

  const schemas: Record<string, unknown> = { [ERROR_SCHEMA]: ERROR_BODY };
  const tags: Array<{ name: string }> = [];
  const merged: OpenApiDocument = {
    openapi: '3.0.0',
    info,
    paths: {},
    components: {
      schemas,
      securitySchemes: { [API_KEY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>` (or the `X-API-Key` header).' } },
    },
    security: [{ [API_KEY_SCHEME]: [] }],
    tags,
  };
  for (const { service, document } of parts) {
    const renamed = new Map([...clashing].filter((name) => document.components?.schemas?.[name] !== undefined).map((name) => [name, `${pascal(service)}${name}`]));
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      schemas[renamed.get(name) ?? name] = renameRefs(schema, renamed);
    }
    tags.push({ name: service });
    for (const [path, item] of Object.entries(document.paths)) {
      if (merged.paths[path]) throw new Error(`${path} is documented by two services`);
      const route = routeFor(path.replace(/\{[^}]+\}/g, 'x'));
      if (route?.upstream !== service) throw new Error(`${service} documents ${path}, which the gateway routes to ${route?.upstream ?? 'nothing'}`);
      const out: Record<string, unknown> = {};
      for (const [method, operation] of Object.entries(renameRefs(item, renamed) as Record<string, Record<string, unknown>>)) {
        out[method] = HTTP_METHODS.includes(method) ? withErrors({ ...operation, tags: [service], ...(route.public ? { security: [] } : {}) }) : operation;
      }
      merged.paths[path] = out;
    }
  }
  merged.paths = Object.fromEntries(Object.entries(merged.paths).sort(([a], [b]) => a.localeCompare(b)));
  return merged;
}
