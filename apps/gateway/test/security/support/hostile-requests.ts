import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { INTERNAL_HEADERS } from '@incident-sync/contracts';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { stringProblem } from '@incident-sync/service-runtime';
import { FieldSpec, fillPath, ParamKind, PublicRoute } from './public-routes';

/** One generated request, and what makes it hostile (printed when it fails). */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  defects: string[];
}

export interface CorpusContext {
  orgKey: string;
  adminKey: string;
  org: string;
  /** Organization A's real value for each kind of path parameter. */
  real: Record<ParamKind, string>;
  simulatorUrl: string;
  webhookSecret: string;
}

// ---- strings -------------------------------------------------------------------------------

const NUL = '\u0000';
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCharCode(c));
const codePoint = fc.integer({ min: 0x20, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c));
const odd = fc.constantFrom('\u202e', '\u200b', '\ufeff', '\uffff', '\ufffe', '\u0301', '\uff0e', '運', '用', '😀', '"', '\\', '%', '<', "'", '\u2028');
const unit = fc.oneof({ weight: 4, arbitrary: codePoint }, { weight: 1, arbitrary: loneSurrogate }, { weight: 1, arbitrary: control }, { weight: 2, arbitrary: odd }, { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) });
/** Any string: printable, unicode, control characters, NUL, lone surrogates. */
export const hostileString = fc.string({ unit, minLength: 0, maxLength: 40 });
/** A string that must be refused: it holds a NUL or a lone surrogate. */
// A lone surrogate next to another from the neighbours can pair up into a valid character: keep only strings that stay refused.
const refusedString = fc.tuple(hostileString, fc.oneof(fc.constant(NUL), loneSurrogate), hostileString).map(([a, b, c]) => `${a}${b}${c}`).filter((s) => stringProblem(s) !== undefined);
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf');

/** A JSON value as raw text (so 1e999, -0 and deep nesting can be written). */
const deepText = fc.tuple(fc.integer({ min: 20, max: 20000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);
const anyJsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('1e999', '-0', '123456789012345678901234567890', '-1', '0.5', 'true', 'false', '[]', '{}', '""', '[null]'),
  deepText,
);

// ---- bodies --------------------------------------------------------------------------------

function validValue(name: string, spec: FieldSpec, ctx: CorpusContext): unknown {
  switch (spec.kind) {
    case 'string': return name === 'base_url' ? ctx.simulatorUrl : spec.valid ?? 'corpus';
    case 'enum': return spec.values[0];
    case 'int': return Math.max(1, spec.min);
    case 'number': return spec.min;
    case 'bool': return true;
    case 'email': return 'corpus@example.com';
    case 'object': return Object.fromEntries(Object.entries(spec.fields).filter(([, f]) => 'required' in f && f.required).map(([k, f]) => [k, validValue(k, f, ctx)]));
    case 'uuids': return [randomUUID()];
    case 'map': return { P1: 'SEV-1' };
    case 'any': return null;
  }
}

/** A value of the wrong type (or out of range) for the field: always refused by its validator. */
function wrongValue(spec: FieldSpec): fc.Arbitrary<string> {
  const notString = fc.oneof(fc.constantFrom('1', '-1.5', 'true', 'false', '[]', '{}', '["a"]', '{"a":1}', '1e999'), deepText);
  switch (spec.kind) {
    case 'string': return fc.oneof(notString, fc.integer({ min: spec.max + 1, max: spec.max + 3000 }).map((n) => JSON.stringify('é'.repeat(n))));
    case 'enum': return fc.oneof(notString, hostileString.filter((s) => !spec.values.includes(s)).map((s) => JSON.stringify(s)), fc.constant(JSON.stringify(spec.values[0]?.toUpperCase() + ' ')));
    case 'int': return fc.oneof(fc.constantFrom('"1"', '1.5', 'true', '[]', '{}', '1e999', String(spec.max + 1), String(spec.min - 1), '"NaN"', '9007199254740993'), deepText);
    case 'number': return fc.oneof(fc.constantFrom('"2"', 'true', '[]', '1e999', String(spec.max + 1), String(spec.min - 1), '-1e999'), deepText);
    case 'bool': return fc.oneof(fc.constantFrom('"true"', '1', '0', '[]', '{}', '"yes"'), deepText);
    case 'email': return fc.oneof(notString, hostileString.filter((s) => !s.includes('@')).map((s) => JSON.stringify(s)));
    case 'object': return fc.oneof(fc.constantFrom('"x"', '1', '[]', 'true', '[{}]'), deepText);
    case 'uuids': return fc.oneof(fc.constantFrom('"x"', '[]', '[1]', '{}', `["${'0'.repeat(36)}"]`), fc.array(hostileString, { minLength: 1, maxLength: 5 }).map((a) => JSON.stringify(a)));
    case 'map': return fc.oneof(fc.constantFrom('[]', '"x"', '1', '{"P1":"SEV-9"}', '{"":"SEV-1"}', '{"P1":1}'), deepText);
    case 'any': return anyJsonText;
  }
}

type Pair = [key: string, rawValue: string];
const render = (pairs: Pair[]): string => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** Fields whose validators refuse a wrong value (`any` fields accept everything). */
const checked = (fields: Record<string, FieldSpec>): [string, FieldSpec][] => Object.entries(fields).filter(([, f]) => f.kind !== 'any');
const stringFields = (fields: Record<string, FieldSpec>): [string, FieldSpec][] => Object.entries(fields).filter(([, f]) => f.kind === 'string' || f.kind === 'email');

/**
 * A JSON body built from a valid one with at least one defect every validator must refuse:
 * a wrong type, NUL or a lone surrogate in a string, an over-long value, a prototype or
 * unknown key, a duplicate key whose last value is wrong, a top level that is not an object,
 * bytes that are not JSON at all, or nothing.
 */
function hostileBody(fields: Record<string, FieldSpec>, ctx: CorpusContext): fc.Arbitrary<{ text: string | Buffer; defects: string[] }> {
  const base: Pair[] = Object.entries(fields).filter(([, f]) => 'required' in f && f.required).map(([k, f]) => [k, JSON.stringify(validValue(k, f, ctx))]);
  const set = (pairs: Pair[], key: string, value: string): Pair[] => [...pairs.filter(([k]) => k !== key), [key, value]];
  const defects: fc.Arbitrary<(pairs: Pair[]) => { pairs: Pair[]; defect: string }>[] = [
    fc.constant((pairs: Pair[]) => ({ pairs: [...pairs, ['__proto__', '{"polluted":true}'] as Pair], defect: '__proto__ key' })),
    fc.tuple(protoKey, anyJsonText).map(([k, v]) => (pairs: Pair[]) => ({ pairs: [...pairs, [k, v] as Pair], defect: `${k} key` })),
    fc.tuple(hostileString.filter((k) => !(k in fields)), anyJsonText).map(([k, v]) => (pairs: Pair[]) => ({ pairs: [...pairs, [k, v] as Pair], defect: 'unknown key' })),
  ];
  const typed = checked(fields);
  if (typed.length > 0) {
    defects.push(fc.constantFrom(...typed).chain(([k, f]) => wrongValue(f).map((v) => (pairs: Pair[]) => ({ pairs: set(pairs, k, v), defect: `wrong ${k}` }))));
    defects.push(fc.constantFrom(...typed).chain(([k, f]) => wrongValue(f).map((v) => (pairs: Pair[]) => ({ pairs: [...pairs, [k, JSON.stringify(validValue(k, f, ctx))] as Pair, [k, v] as Pair], defect: `duplicate ${k}, last wrong` }))));
  }
  const strings = stringFields(fields);
  if (strings.length > 0) {
    defects.push(fc.tuple(fc.constantFrom(...strings), refusedString).map(([[k], s]) => (pairs: Pair[]) => ({ pairs: set(pairs, k, JSON.stringify(s)), defect: `NUL/lone surrogate in ${k}` })));
    defects.push(fc.tuple(fc.constantFrom(...strings), fc.integer({ min: 0, max: 2 })).map(([[k, f], shape]) => (pairs: Pair[]) => {
      const max = f.kind === 'string' ? f.max : 320;
      // Over the cap in characters (an emoji counts as one character, so max + 1 of them) or in bytes.
      const value = shape === 0 ? 'x'.repeat(max + 1) : shape === 1 ? '😀'.repeat(max + 1) : '\u0001'.repeat(Math.max(max + 1, 65537));
      return { pairs: set(pairs, k, JSON.stringify(value)), defect: `over-long ${k}` };
    }));
  }
  const structured = fc.tuple(fc.array(fc.oneof(...defects), { minLength: 1, maxLength: 3 }), fc.subarray(Object.entries(fields))).map(([apply, optional]) => {
    let pairs: Pair[] = [...base];
    for (const [k, f] of optional) if (!pairs.some(([p]) => p === k) && f.kind !== 'any') pairs.push([k, JSON.stringify(validValue(k, f, ctx))]);
    const names: string[] = [];
    for (const a of apply) {
      const r = a(pairs);
      pairs = r.pairs;
      names.push(r.defect);
    }
    return { text: render(pairs), defects: names };
  });
  const notObject = fc.oneof(anyJsonText.filter((t) => !t.startsWith('{')), fc.constant('null')).map((t) => ({ text: t, defects: ['top level not an object'] }));
  const garbage = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => Buffer.from(b)),
    fc.constantFrom('{', '{"a":', '{"title":"x",}', "{'a':1}", '{"a":1}{"b":2}', '\ufeff{}x', 'NaN', '{"a":"\\ud800"', Buffer.from([0xed, 0xa0, 0x80]).toString('latin1')),
    fc.constant(Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')])),
  ).map((t) => ({ text: t, defects: ['not JSON'] }));
  return fc.oneof({ weight: 12, arbitrary: structured }, { weight: 2, arbitrary: notObject }, { weight: 2, arbitrary: garbage }, { weight: 1, arbitrary: fc.constant<{ text: string | Buffer; defects: string[] }>({ text: '', defects: ['empty body'] }) });
}

// ---- path, query, headers ------------------------------------------------------------------

/** Percent-encodes any string, lone surrogates included (as their three WTF-8 bytes). */
export function encodeAny(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** A path parameter that names nothing of A's: never a dot segment, never an incident number. */
const hostileId = fc.oneof(
  hostileString,
  protoKey,
  fc.constantFrom('-1', '0', '1e999', 'NaN', 'Infinity', '0x10', "' OR 1=1 --", 'INC-0', 'INC-9999999999', 'inc--1', '%', '%2f', 'a/b', 'a\\b', '*', 'null', 'undefined', '[]', '{}', '\u0000', ' '),
  fc.integer({ min: 300, max: 6000 }).map((n) => 'i'.repeat(n)),
  fc.uuid().map((u) => u.toUpperCase()),
).filter((s) => s !== '' && s !== '.' && s !== '..' && !/^inc-0*[1-9]\d{0,8}$/i.test(s)).map(encodeAny);

const queryValue = fc.oneof(hostileString, protoKey, fc.constantFrom('bogus', 'OPEN', 'open,,bogus', '-1', '0', '201', '1e999', 'NaN', '2026-13-45T99:99:99Z', '%', ''), fc.integer({ min: 200, max: 6000 }).map((n) => 'q'.repeat(n)));
function hostileQuery(names: readonly string[]): fc.Arbitrary<string> {
  const param = fc.tuple(fc.oneof(fc.constantFrom(...(names.length ? names : ['q'])), hostileString, fc.constantFrom('__proto__[polluted]', 'constructor[prototype][polluted]', 'status[]', 'limit[$gt]')), queryValue)
    .map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`);
  return fc.array(param, { minLength: 1, maxLength: 4 }).map((ps) => `?${ps.join('&')}`);
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/vnd.pagerduty+json', '*/*', 'application/json\u0000', ''];
const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) });

const EXTRA_HEADERS: [name: string, value: string, defect: string][] = [
  ['x-hostile', 'h'.repeat(6000), 'a 6 KB header'],
  ['expect', '100-continue', 'Expect: 100-continue'],
  ['if-match', '"not-a-version", W/"-1", *', 'hostile If-Match'],
  [INTERNAL_HEADERS.isAdmin, 'true', 'spoofed internal admin header'],
  [INTERNAL_HEADERS.organizationId, 'someone-else', 'spoofed internal organization header'],
  [INTERNAL_HEADERS.internalToken, 'guess', 'spoofed internal token header'],
  ['x-organization-id', 'sec-other-org', 'X-Organization-Id with an organization key'],
  ['content-encoding', 'gzip', 'Content-Encoding gzip on plain bytes'],
  ['accept', 'text/html;q=0.1, \u00ff', 'odd Accept'],
  ['x-forwarded-for', '127.0.0.1, ::1', 'X-Forwarded-For'],
];
const extraHeaders: fc.Arbitrary<[Record<string, string>, string[]]> = fc.subarray(EXTRA_HEADERS, { maxLength: 3 })
  .map((chosen): [Record<string, string>, string[]] => [Object.fromEntries(chosen.map(([k, v]) => [k, v])), chosen.map(([, , d]) => d)]);

/** Admin key acting on A, with a hostile X-Organization-Id sometimes (names beyond Latin-1 included, as UTF-8 bytes). */
const adminOrg = (ctx: CorpusContext): fc.Arbitrary<[string, string]> => fc.oneof(
  { weight: 3, arbitrary: fc.constant<[string, string]>([ctx.org, 'admin acting on A']) },
  { weight: 1, arbitrary: fc.constantFrom<[string, string]>([Buffer.from('運用', 'utf8').toString('latin1'), 'X-Organization-Id beyond Latin-1'], ['x'.repeat(5000), 'huge X-Organization-Id'], ['a\u0001b', 'control character in X-Organization-Id']) },
);

/** A hostile request for one public route (never valid as a whole: see hostileBody and hostileId). */
export function hostileRequest(route: PublicRoute, ctx: CorpusContext): fc.Arbitrary<HostileRequest> {
  const names = Object.keys(route.params);
  const mutating = route.method !== 'GET';
  const hasBody = route.body !== undefined;
  // Without a body to make hostile, a mutating route is only ever called with ids that name nothing.
  const pathParams = fc.tuple(...names.map((n) => fc.oneof({ weight: hasBody || !mutating ? 1 : 0, arbitrary: fc.constant<[string, string | null]>([n, null]) }, { weight: 1, arbitrary: hostileId.map<[string, string | null]>((v) => [n, v]) })));
  return fc.record({
    params: names.length ? pathParams : fc.constant([] as [string, string | null][]),
    body: hasBody ? hostileBody(route.body ?? {}, ctx).map((b) => b as { text: string | Buffer; defects: string[] } | null) : fc.option(fc.string({ maxLength: 200 }).map((t) => ({ text: t, defects: ['unexpected body'] })), { freq: 4 }),
    query: fc.option(hostileQuery(route.query ?? []), { freq: route.query ? 2 : 5 }),
    contentType,
    extra: extraHeaders,
    admin: route.adminOnly ? adminOrg(ctx).map((a) => a as [string, string] | null) : fc.option(adminOrg(ctx), { freq: 4 }),
  }).map(({ params, body, query, contentType: type, extra, admin }) => {
    const defects: string[] = [];
    const values: Record<string, string> = {};
    for (const [name, value] of params) {
      if (value === null) values[name] = encodeURIComponent(ctx.real[route.params[name] as ParamKind]);
      else {
        values[name] = value;
        defects.push(`hostile :${name}`);
      }
    }
    const headers: Record<string, string> = { accept: 'application/json', ...extra[0] };
    defects.push(...extra[1]);
    if (admin) {
      headers.authorization = `Bearer ${ctx.adminKey}`;
      headers['x-organization-id'] = admin[0];
      defects.push(admin[1]);
    } else {
      headers.authorization = `Bearer ${ctx.orgKey}`;
    }
    let payload: Buffer | undefined;
    if (body) {
      defects.push(...body.defects);
      const text = typeof body.text === 'string' ? body.text : body.text;
      payload = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
      if (type === 'application/x-www-form-urlencoded' && typeof body.text === 'string') payload = Buffer.from(`zz_unknown=1&__proto__[polluted]=1&title=${encodeAny(body.text.slice(0, 2000))}`);
      if (type) headers['content-type'] = type;
      if (type !== 'application/json') defects.push(`content-type ${JSON.stringify(type)}`);
    }
    if (query) defects.push('hostile query');
    return { method: route.method, path: fillPath(route, values) + (query ?? ''), headers, body: payload, defects };
  });
}

// ---- webhooks ------------------------------------------------------------------------------

const KNOWN_TYPES = ['incident.acknowledged', 'incident.unacknowledged', 'incident.resolved', 'incident.reopened', 'incident.reassigned', 'incident.delegated', 'incident.escalated', 'incident.priority_updated', 'incident.annotated'];

/**
 * A hostile PagerDuty delivery: bad, missing or several signatures, or a valid signature (the
 * integration's canary secret) over a body that is garbage, not a v3 event, an event of an
 * unknown type, or a known type (never incident.triggered, never an incident_key) about a
 * PagerDuty incident nobody linked, with hostile values throughout.
 */
export function hostileWebhook(ctx: CorpusContext, integrationId: string): fc.Arbitrary<HostileRequest> {
  const eventBody = fc.record({
    type: fc.oneof(fc.constantFrom(...KNOWN_TYPES), hostileString.map((s) => `incident.${s}`), anyJsonText.map((t) => ({ raw: t }))),
    pdId: fc.oneof(fc.constant(`PQ${randomUUID().slice(0, 6).toUpperCase()}`), hostileString, fc.integer({ min: 1000, max: 300000 }).map((n) => 'P'.repeat(n))),
    title: fc.oneof(hostileString, refusedString, anyJsonText.map((t) => ({ raw: t }))),
    extraKey: fc.option(fc.tuple(fc.oneof(protoKey, hostileString), anyJsonText)),
    padding: fc.option(fc.integer({ min: 1000, max: 400000 })),
  }).map(({ type, pdId, title, extraKey, padding }) => {
    const raw = (v: unknown): string => (typeof v === 'object' && v !== null && 'raw' in v ? String((v as { raw: string }).raw) : JSON.stringify(v));
    const data = `{"id":${JSON.stringify(pdId)},"type":"incident","title":${raw(title)},"status":"acknowledged"${padding ? `,"details":${JSON.stringify('d'.repeat(padding))}` : ''}${extraKey ? `,${JSON.stringify(extraKey[0])}:${extraKey[1]}` : ''}}`;
    return `{"event":{"id":${JSON.stringify(`01${randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()}`)},"event_type":${raw(type)},"resource_type":"incident","occurred_at":"2026-01-01T00:00:00Z","agent":null,"client":null,"data":${data}}}`;
  });
  const body = fc.oneof({ weight: 6, arbitrary: eventBody }, { weight: 1, arbitrary: anyJsonText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b).toString('latin1')) }, { weight: 1, arbitrary: fc.constant('') });
  const signature = fc.constantFrom('valid', 'valid', 'valid', 'none', 'wrong', 'garbage', 'several', 'huge');
  return fc.record({
    body, signature, contentType, id: fc.oneof({ weight: 4, arbitrary: fc.constant(integrationId) }, { weight: 1, arbitrary: hostileId }),
    webhookId: fc.option(fc.oneof(hostileString.map((s) => Buffer.from(s, 'utf8').toString('latin1')), fc.constant('w'.repeat(5000)))),
  }).map(({ body: text, signature: sig, contentType: type, id, webhookId }) => {
    const bytes = Buffer.from(text, text.length > 0 && [...text].some((c) => c.charCodeAt(0) > 0xff) ? 'utf8' : 'latin1');
    const headers: Record<string, string> = { 'user-agent': 'PagerDuty-Webhook/V3.0' };
    if (type) headers['content-type'] = type;
    const valid = signWebhookBody(ctx.webhookSecret, bytes);
    if (sig === 'valid') headers['x-pagerduty-signature'] = valid;
    if (sig === 'wrong') headers['x-pagerduty-signature'] = signWebhookBody('not-the-secret', bytes);
    if (sig === 'garbage') headers['x-pagerduty-signature'] = 'v1=zz,v0=,=,';
    if (sig === 'several') headers['x-pagerduty-signature'] = `v1=00,${signWebhookBody('other', bytes)},v1=`;
    if (sig === 'huge') headers['x-pagerduty-signature'] = `v1=${'a'.repeat(8000)}`;
    if (webhookId !== null) headers['x-webhook-id'] = webhookId;
    return { method: 'POST', path: `/api/v1/webhooks/${id}`, headers, body: bytes, defects: [`signature ${sig}`, `${bytes.length} bytes`, `content-type ${JSON.stringify(type)}`, id === integrationId ? 'A\'s integration' : 'hostile id'] };
  });
}
