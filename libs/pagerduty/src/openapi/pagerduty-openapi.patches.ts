/**
 * Documented repairs of PagerDuty's official OpenAPI document (PagerDuty/api-schema
 * reference/REST/openapiv3.json, see docs/pagerduty/FACTS.md §6) so that a standard JSON-Schema
 * validator (ajv 8, draft-07) can check real traffic against it. Each patch names the defect
 * it repairs. The document is patched in memory only; the fixture file stays verbatim.
 *
 * Order matters: deep cross-component `$ref`s are hoisted first, so the later rewrites of
 * `nullable` (which wrap a schema in `anyOf`) cannot break a pointer into the wrapped schema.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface PatchReport {
  hoistedRefs: number;
  nullableRewritten: number;
  exclusiveBoundsRewritten: number;
  operationsGivenErrorResponses: number;
}

/** Where a JSON pointer (`#/a/b~1c`) leads in `doc`. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p) => p.length > 0)
    .map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

function walk(node: unknown, visit: (schema: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (isObject(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

/** Error body schema shared by the document's generic error responses. */
export const ERROR_SCHEMA_REF = '#/components/responses/Conflict/content/application~1json/schema';

export function patchPagerDutyOpenApi(doc: Json): PatchReport {
  const report: PatchReport = { hoistedRefs: 0, nullableRewritten: 0, exclusiveBoundsRewritten: 0, operationsGivenErrorResponses: 0 };
  const components = doc.components as Json;
  const schemas = components.schemas as Json;

  // Defect: 182 `$ref`s point INSIDE other components (e.g. `#/components/schemas/Tag/allOf/0`,
  // `#/components/responses/Conflict/content/application~1json/schema`). Legal JSON pointers,
  // but fragile: copy each target into its own `components/schemas/__hoisted_N` (a snapshot of
  // the verbatim target) and point the `$ref` there.
  const hoisted = new Map<string, string>();
  const deepRefs: Json[] = [];
  walk(doc, (schema) => {
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && ref.split('/').length > 4) deepRefs.push(schema);
  });
  for (const schema of deepRefs) {
    const ref = schema.$ref as string;
    let name = hoisted.get(ref);
    if (!name) {
      name = `__hoisted_${hoisted.size}`;
      hoisted.set(ref, name);
      schemas[name] = structuredClone(resolvePointer(doc, ref) ?? {});
    }
    schema.$ref = `#/components/schemas/${name}`;
    report.hoistedRefs += 1;
  }
  // A hoisted copy may itself contain deep refs (copied before its siblings were rewritten).
  walk(schemas, (schema) => {
    const ref = schema.$ref;
    const name = typeof ref === 'string' ? hoisted.get(ref) : undefined;
    if (name) schema.$ref = `#/components/schemas/${name}`;
  });

  // Defect: `IncidentBody.details` is typed `object`, but PagerDuty's docs and the document's
  // own create-incident example send a string (FACTS §2.3 "Details must be a string").
  const incidentBody = schemas.IncidentBody as Json;
  (incidentBody.properties as Json).details = { type: 'string', description: 'Additional incident details (patched: a string, not an object).' };

  // Defect: `AcknowledgeLogEntry` narrows `type` to `acknowledgement_log_entry`, a value its base
  // `LogEntry` enum forbids (the base lists `acknowledge_log_entry`), so nothing could validate.
  const ackAllOf = (schemas.AcknowledgeLogEntry as Json).allOf as Json[];
  for (const part of ackAllOf) {
    const props = part.properties as Json | undefined;
    if (props && isObject(props.type)) props.type = { type: 'string', enum: ['acknowledge_log_entry'] };
  }

  // Defect: the document's own Incident examples return `resolved_at`, `resolve_reason` and
  // `priority` as null (and `resolved_at`'s description says "or `null` if the incident is not
  // resolved"), but the schemas do not allow null. PagerDuty's rule (developer-docs REST-API
  // 06-Types, FACTS §2.1): any field that is not required may be null, except arrays, booleans
  // and ids. Applied to exactly these Incident fields.
  const incidentProps = ((schemas.Incident as Json).allOf as Json[]).map((part) => part.properties).find(isObject) as Json;
  for (const field of ['resolved_at', 'resolve_reason', 'priority', 'incident_key', 'conference_bridge']) {
    const prop = incidentProps[field];
    if (isObject(prop)) prop.nullable = true;
  }

  // Defect: `Service.auto_resolve_timeout` and `acknowledgement_timeout` say "Value is `null` if
  // the feature is disabled" in their own descriptions but are typed integer, not nullable.
  const serviceProps = ((schemas.Service as Json).allOf as Json[]).map((part) => part.properties).find(isObject) as Json;
  for (const field of ['auto_resolve_timeout', 'acknowledgement_timeout']) {
    const prop = serviceProps[field];
    if (isObject(prop)) prop.nullable = true;
  }

  // Defect: `Oncall.start`/`end` say "If `null`, the on-call is a permanent user on-call", and a
  // permanent (direct user) on-call has no schedule (`schedule_ids[]` accepts `null` for exactly
  // these, FACTS §2.4), but none of the three is nullable.
  const oncallProps = (schemas.Oncall as Json).properties as Json;
  for (const field of ['schedule', 'start', 'end']) {
    const prop = oncallProps[field];
    if (isObject(prop)) prop.nullable = true;
  }

  // Defect: the webhook-subscription error responses (`WebhookBadRequest`, `WebhookUnauthorized`,
  // `WebhookForbidden`, `WebhookNotFound`) define no body, yet PagerDuty answers them with its
  // standard error body (REST-API/14-Errors). Give them the generic error schema.
  const responsesComponents = components.responses as Json;
  for (const name of ['WebhookBadRequest', 'WebhookUnauthorized', 'WebhookForbidden', 'WebhookNotFound']) {
    const response = responsesComponents[name];
    if (isObject(response) && response.content === undefined) {
      response.content = { 'application/json': { schema: { $ref: hoisted.has(ERROR_SCHEMA_REF) ? `#/components/schemas/${hoisted.get(ERROR_SCHEMA_REF)}` : ERROR_SCHEMA_REF } } };
    }
  }

  // Defect: `Channel` has overlapping `oneOf` branches (its own example matches several); the
  // intent is "one of these shapes", which JSON Schema spells `anyOf`.
  const channel = schemas.Channel as Json;
  walk(channel, (schema) => {
    if (Array.isArray(schema.oneOf)) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
  });

  // Defect (OpenAPI 3.0 dialect): boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style)
  // become draft-07 numbers; `nullable` (not JSON Schema) becomes a `null` type, including beside
  // `$ref`/`allOf` and on schemas without `type`, which some converters silently drop.
  walk(doc, (schema) => {
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof schema[flag] === 'boolean') {
        if (schema[flag] === true && typeof schema[bound] === 'number') {
          schema[flag] = schema[bound];
          delete schema[bound];
        } else {
          delete schema[flag];
        }
        report.exclusiveBoundsRewritten += 1;
      }
    }
  });
  walk(doc, (schema) => {
    if (!('nullable' in schema)) return;
    const nullable = schema.nullable === true;
    delete schema.nullable;
    if (!nullable) return;
    report.nullableRewritten += 1;
    if (typeof schema.type === 'string' && schema.$ref === undefined && schema.allOf === undefined && schema.oneOf === undefined && schema.anyOf === undefined) {
      schema.type = [schema.type, 'null'];
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
      return;
    }
    const inner: Json = { ...schema };
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [{ type: 'null' }, inner];
  });

  // Defect: POST /incidents/{id}/notes and POST /webhook_subscriptions are documented as 200;
  // creation answers 201 (FACTS §5/§6 "production may answer 201"). Accept both.
  const paths = doc.paths as Json;
  for (const [path, method] of [['/incidents/{id}/notes', 'post'], ['/webhook_subscriptions', 'post']] as const) {
    const responses = ((paths[path] as Json)[method] as Json).responses as Json;
    if (responses['201'] === undefined && responses['200'] !== undefined) responses['201'] = responses['200'];
  }

  // Defect: error statuses every operation can produce are missing from many operations:
  // 401 (bad token; e.g. GET /users/me lists none), 429 (the per-token limit applies to every
  // request, FACTS §2.7), and 400 on PUT /incidents/{id} (missing `From`, FACTS §2.1). Give every
  // operation the document's generic error body for 400, 401, 403, 404 and 429 where absent.
  const errorSchemaRef = hoisted.has(ERROR_SCHEMA_REF) ? `#/components/schemas/${hoisted.get(ERROR_SCHEMA_REF)}` : ERROR_SCHEMA_REF;
  const errorRef = { description: 'Generic PagerDuty error (added by patchPagerDutyOpenApi)', content: { 'application/json': { schema: { $ref: errorSchemaRef } } } };
  for (const pathItem of Object.values(paths)) {
    if (!isObject(pathItem)) continue;
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method) || !isObject(operation)) continue;
      const responses = operation.responses as Json;
      let added = false;
      for (const status of ['400', '401', '403', '404', '429']) {
        if (responses[status] === undefined) {
          responses[status] = errorRef;
          added = true;
        }
      }
      if (added) report.operationsGivenErrorResponses += 1;
    }
  }
  return report;
}
