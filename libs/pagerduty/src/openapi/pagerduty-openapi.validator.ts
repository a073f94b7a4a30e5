import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { patchPagerDutyOpenApi, PatchReport } from './pagerduty-openapi.patches';

type Json = Record<string, unknown>;

/** The verbatim official document (FACTS §0 "AS"). */
export const PAGERDUTY_OPENAPI_PATH = join(__dirname, '..', '..', 'fixtures', 'openapiv3.json');

export interface OperationMatch {
  method: string;
  /** Path template as written in the document, e.g. `/incidents/{id}`. */
  template: string;
  operationId: string;
  params: Record<string, string>;
}

export interface RequestToValidate {
  query?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string | string[] | undefined>;
}

interface CompiledPath {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/**
 * Checks requests and responses against PagerDuty's official REST API v2 OpenAPI document with
 * ajv 8 (JSON Schema draft-07) after the documented repairs in `patchPagerDutyOpenApi`.
 * The whole patched document is registered once as one ajv schema (`pd`); a response or body
 * schema is compiled on first use by `$ref` into it, so start-up costs one JSON parse plus the
 * patch pass (well under a second), not a compile of all 273 paths.
 */
export class PagerDutyOpenApiValidator {
  private static singleton: PagerDutyOpenApiValidator | undefined;
  readonly patches: PatchReport;
  private readonly doc: Json;
  private readonly ajv: Ajv;
  private readonly paths: CompiledPath[];
  private readonly compiled = new Map<string, ValidateFunction>();

  /** One instance per process (the document is 2.7 MB). */
  static instance(): PagerDutyOpenApiValidator {
    PagerDutyOpenApiValidator.singleton ??= new PagerDutyOpenApiValidator(JSON.parse(readFileSync(PAGERDUTY_OPENAPI_PATH, 'utf8')) as Json);
    return PagerDutyOpenApiValidator.singleton;
  }

  constructor(document: Json) {
    this.doc = document;
    this.patches = patchPagerDutyOpenApi(this.doc);
    // strict:false — the document carries OpenAPI-only keywords (example, discriminator,
    // x-*, readOnly); they are annotations here. validateSchema:false — the meta-schema check
    // of a 2.7 MB document costs seconds and the patches above already fixed what ajv rejects.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    // `format: url` is not a JSON-Schema format (ajv-formats' legacy `url` rejects hosts such as
    // 127.0.0.1:8090). Read it as the document means it: an absolute http(s) URL.
    this.ajv.addFormat('url', (value: string) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    });
    this.ajv.addSchema(this.doc, 'pd');
    this.paths = Object.keys(this.doc.paths as Json).map((template) => {
      const names: string[] = [];
      const segments = template.split('/').filter(Boolean);
      const pattern = segments.map((segment) => {
        const m = /^\{(.+)\}$/.exec(segment);
        if (m && m[1]) {
          names.push(m[1]);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      });
      return { template, names, regex: new RegExp(`^/${pattern.join('/')}/?$`), literalSegments: segments.length - names.length };
    }).sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The documented operation for a concrete path (`/incidents/PX1`) or a template (`/incidents/{id}`). */
  matchOperation(method: string, path: string): OperationMatch | null {
    const m = method.toLowerCase();
    const bare = path.split('?')[0] ?? path;
    const paths = this.doc.paths as Json;
    const candidates = paths[bare] !== undefined ? [this.paths.find((p) => p.template === bare)] : this.paths;
    for (const candidate of candidates) {
      if (!candidate) continue;
      const match = candidate.template === bare ? [] : candidate.regex.exec(bare);
      if (!match) continue;
      const operation = (paths[candidate.template] as Json)[m];
      if (!isObject(operation)) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, i) => {
        const value = Array.isArray(match) ? match[i + 1] : undefined;
        if (value !== undefined) params[name] = decodeURIComponent(value);
      });
      return { method: m, template: candidate.template, operationId: String(operation.operationId), params };
    }
    return null;
  }

  /** Problems with a response body; `[]` when it matches the documented schema for `status`. */
  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const match = this.matchOperation(method, path);
    if (!match) return [`${method.toUpperCase()} ${path} is not an operation of the PagerDuty REST API document`];
    const base = `#/paths/${escapePointer(match.template)}/${match.method}/responses`;
    const responses = this.resolve(base);
    if (!isObject(responses)) return [`${match.operationId}: no responses documented`];
    const key = responses[String(status)] !== undefined ? String(status) : responses[`${String(status)[0]}XX`] !== undefined ? `${String(status)[0]}XX` : responses.default !== undefined ? 'default' : null;
    if (key === null) return [`${match.operationId}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    // A response may be a `$ref` to components/responses: ajv cannot follow a pointer through
    // a `$ref` object, so point at the referenced response itself.
    let responsePointer = `${base}/${escapePointer(key)}`;
    let responseNode = responses[key];
    for (let i = 0; i < 10 && isObject(responseNode) && typeof responseNode.$ref === 'string'; i++) {
      responsePointer = responseNode.$ref;
      responseNode = this.resolve(responsePointer);
    }
    const response = responseNode;
    const content = isObject(response) ? response.content : undefined;
    const media = isObject(content) ? Object.keys(content).find((type) => type.includes('json')) : undefined;
    if (!media) {
      return body === undefined || body === null || body === '' ? [] : [`${match.operationId} ${status}: the document defines no body, got one`];
    }
    const pointer = `${responsePointer}/content/${escapePointer(media)}/schema`;
    return this.validateAt(pointer, body, `${match.operationId} ${status} body`);
  }

  /**
   * Problems with a request our product sends: its JSON body against the documented request
   * body, its query parameters (required, enum, integer/boolean) and, when headers are given,
   * the documented required headers (`Accept`, `From`). Not checked (document defects, FACTS
   * §6): the Authorization pattern (stricter than real keys) and Content-Type on GET.
   */
  validateRequest(method: string, path: string, body?: unknown, request: RequestToValidate = {}): string[] {
    const match = this.matchOperation(method, path);
    if (!match) return [`${method.toUpperCase()} ${path} is not an operation of the PagerDuty REST API document`];
    const opPointer = `#/paths/${escapePointer(match.template)}/${match.method}`;
    const operation = this.resolve(opPointer) as Json;
    const errors: string[] = [];
    const requestBody = this.deref(operation.requestBody);
    if (isObject(requestBody) && isObject(requestBody.content)) {
      const media = Object.keys(requestBody.content).find((type) => type.includes('json'));
      const bodyPointer = isObject(operation.requestBody) && typeof operation.requestBody.$ref === 'string' ? operation.requestBody.$ref : `${opPointer}/requestBody`;
      if (body === undefined || body === null) {
        if (requestBody.required === true) errors.push(`${match.operationId}: request body is required`);
      } else if (media) {
        errors.push(...this.validateAt(`${bodyPointer}/content/${escapePointer(media)}/schema`, body, `${match.operationId} request body`));
      }
    } else if (body !== undefined && body !== null && !(isObject(body) && Object.keys(body).length === 0)) {
      errors.push(`${match.operationId}: the document defines no request body, got one`);
    }
    const pathItem = this.resolve(`#/paths/${escapePointer(match.template)}`) as Json;
    const parameters = [...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])]
      .map((p) => this.deref(p)).filter(isObject);
    for (const parameter of parameters) {
      const name = String(parameter.name);
      const schema = this.deref(parameter.schema);
      if (parameter.in === 'query' && request.query) {
        const raw = request.query[name] ?? request.query[name.replace(/\[\]$/, '')];
        if (raw === undefined) {
          if (parameter.required === true) errors.push(`query ${name} is required`);
          continue;
        }
        const values = Array.isArray(raw) ? raw : [raw];
        const itemSchema = isObject(schema) && schema.type === 'array' ? this.deref(schema.items) : schema;
        // `name[]` parameters repeat by PagerDuty's convention even where the document types
        // them as a single string (e.g. `statuses[]`, declared `type: string` with `explode`).
        if (isObject(schema) && schema.type !== 'array' && values.length > 1 && !name.endsWith('[]')) errors.push(`query ${name} must not repeat`);
        for (const value of values) errors.push(...this.checkScalar(`query ${name}`, value, itemSchema));
      }
      if (parameter.in === 'header' && request.headers) {
        const lower = name.toLowerCase();
        if (lower === 'authorization' || lower === 'content-type') continue;
        const value = Object.entries(request.headers).find(([k]) => k.toLowerCase() === lower)?.[1];
        if (value === undefined && parameter.required === true) errors.push(`header ${name} is required`);
        else if (typeof value === 'string') errors.push(...this.checkScalar(`header ${name}`, value, schema));
      }
    }
    return errors;
  }

  private checkScalar(where: string, value: string, schema: unknown): string[] {
    if (!isObject(schema)) return [];
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.includes('integer') && !/^-?\d+$/.test(value)) return [`${where} must be an integer, got ${JSON.stringify(value)}`];
    if (types.includes('boolean') && !['true', 'false'].includes(value)) return [`${where} must be true or false, got ${JSON.stringify(value)}`];
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${where} must be one of ${schema.enum.join(', ')}, got ${JSON.stringify(value)}`];
    if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) return [`${where} must be an email address, got ${JSON.stringify(value)}`];
    return [];
  }

  private validateAt(pointer: string, data: unknown, where: string): string[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `pd${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate(data) ? [] : formatErrors(where, validate.errors);
  }

  private resolve(pointer: string): unknown {
    const parts = pointer.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = this.doc;
    for (const part of parts) node = isObject(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
    return node;
  }

  private deref(node: unknown): unknown {
    let current = node;
    for (let i = 0; i < 10 && isObject(current) && typeof current.$ref === 'string'; i++) current = this.resolve(current.$ref);
    return current;
  }
}

/** `PagerDutyOpenApiValidator.instance().validateResponse(…)`. */
export function validateResponse(method: string, path: string, status: number, body: unknown): string[] {
  return PagerDutyOpenApiValidator.instance().validateResponse(method, path, status, body);
}

/** `PagerDutyOpenApiValidator.instance().validateRequest(…)`. */
export function validateRequest(method: string, path: string, body?: unknown, request?: RequestToValidate): string[] {
  return PagerDutyOpenApiValidator.instance().validateRequest(method, path, body, request);
}
