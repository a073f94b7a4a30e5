import { ArgumentsHost, Catch, createParamDecorator, ExceptionFilter, ExecutionContext, HttpException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpStatusOf } from '@incident-sync/contracts';
import { PdError } from './pd-error';
import { redactHeaders } from './request-log';
import { Actor, SimCaller } from './sim-model';
import { Simulator } from './simulator';

const callers = new WeakMap<object, SimCaller>();
/** Requests the answer-delay fault holds back after processing (see Faults.forRequest). */
const answerDelays = new WeakMap<object, number>();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Paths of the REST API (not the simulator's own /sim control API or health probes). */
export function isRestPath(url: string): boolean {
  return !/^\/(sim|health)(\/|\?|$)/.test(url);
}

/** `Authorization: Token token=<key>` (API keys) or `Bearer <token>` (OAuth) (FACTS §2.1). */
export function parseAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const token = /^Token token=(\S+)$/.exec(header.trim());
  if (token?.[1]) return token[1];
  const bearer = /^Bearer (\S+)$/.exec(header.trim());
  return bearer?.[1] ?? null;
}

function send(reply: FastifyReply, error: PdError): FastifyReply {
  return reply.code(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body());
}

/**
 * The edge every REST request crosses before a controller: authentication, API version,
 * per-token rate limits with their headers, fault injection; and the request log afterwards.
 */
export function registerSimHooks(fastify: FastifyInstance, sim: Simulator): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isRestPath(request.url)) return;
    const now = Date.now();
    const tokenValue = parseAuthorization(request.headers.authorization);
    const seeded = tokenValue ? sim.state.token(tokenValue) : undefined;
    let caller: SimCaller | null = null;
    if (seeded?.kind === 'user' && seeded.user_id) caller = { token: 'user', userId: seeded.user_id, bucket: `user:${seeded.user_id}` };
    else if (seeded) caller = { token: 'account', userId: null, bucket: `token:${seeded.token}` };
    else if (tokenValue && sim.allowTokens.accepts(tokenValue)) caller = { token: 'account', userId: null, bucket: `token:${tokenValue}` };
    if (!caller) return send(reply, PdError.unauthorized());
    const accept = request.headers.accept;
    // Without Accept the token's default version applies (v2 here). An explicit other version is refused.
    if (typeof accept === 'string' && /version=/.test(accept) && !/application\/vnd\.pagerduty\+json;\s*version=2\b/.test(accept)) {
      return send(reply, new PdError(400, 2001, 'Invalid Input Provided', ['Unsupported API version; use Accept: application/vnd.pagerduty+json;version=2']));
    }
    const path = request.url.split('?')[0] ?? request.url;
    const fault = sim.faults.forRequest(path, tokenValue, now, request.method);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    const decision = sim.limiter.check(caller.bucket, request.method === 'POST' && /^\/incidents\/?$/.test(path), now);
    const storm = fault.kind === 'storm';
    reply.header('ratelimit-limit', String(decision.limit));
    reply.header('ratelimit-remaining', String(storm ? 0 : decision.remaining));
    reply.header('ratelimit-reset', String(decision.resetSeconds));
    if (!decision.allowed || storm) return send(reply, PdError.rateLimited());
    if (fault.kind === 'error') return send(reply, new PdError(fault.status, fault.status >= 500 ? 2000 : 2001, fault.status >= 500 ? 'Internal Server Error' : 'Invalid Input Provided'));
    callers.set(request.raw, caller);
    if (fault.answerDelayMs > 0) answerDelays.set(request.raw, fault.answerDelayMs);
    return undefined;
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!isRestPath(request.url)) return payload;
    const path = request.url.split('?')[0] ?? request.url;
    sim.requests.add({
      time: new Date().toISOString(),
      method: request.method,
      path,
      query: { ...(request.query as Record<string, unknown>) },
      headers: redactHeaders(request.headers),
      body: request.body ?? null,
      status: reply.statusCode,
    });
    const delay = answerDelays.get(request.raw);
    if (delay) await sleep(delay);
    return payload;
  });
}

export function callerOf(request: FastifyRequest): SimCaller {
  const caller = callers.get(request.raw);
  if (!caller) throw PdError.unauthorized();
  return caller;
}

/** The authenticated token behind a REST request (set by the onRequest hook). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): SimCaller => callerOf(ctx.switchToHttp().getRequest<FastifyRequest>()));

const EMAIL = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;

/**
 * The user a write acts as: the token's owner for user keys; otherwise the `From` header,
 * which account-level keys must send on writes (FACTS §2.1): missing → 400, malformed → 1028,
 * not a user of the account → 1008.
 */
export function actingUser(sim: Simulator, caller: SimCaller, from: string | string[] | undefined): Actor {
  if (caller.token === 'user' && caller.userId) return { type: 'user', id: caller.userId };
  const value = Array.isArray(from) ? from[0] : from;
  if (value === undefined || value.trim() === '') throw PdError.fromRequired();
  if (!EMAIL.test(value.trim())) throw PdError.fromMalformed();
  const user = sim.state.userByEmail(value);
  if (!user) throw PdError.requesterNotFound();
  return { type: 'user', id: user.id };
}

/** Renders PdError as PagerDuty's error body; anything else as PD's generic 500/4xx. */
@Catch()
export class PdErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let error: PdError;
    if (exception instanceof PdError) error = exception;
    else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      // Health probes answer with their own body (503 + failing checks).
      if (typeof response === 'object' && response !== null && 'status' in response && 'service' in response) {
        void reply.code(status).send(response);
        return;
      }
      if (status === 404) error = PdError.notFound();
      else if (status < 500) error = new PdError(status, 2001, 'Invalid Input Provided', [exception.message]);
      else error = new PdError(status, 2000, 'Internal Server Error');
    } else if (exception instanceof AppError) {
      // The shared JSON body parser's refusals (unparsable, NUL, prototype keys): PagerDuty's 400.
      const status = httpStatusOf(exception.code);
      error = status < 500 ? new PdError(status, 2001, 'Invalid Input Provided', [exception.message]) : new PdError(status, 2000, 'Internal Server Error');
    } else error = new PdError(500, 2000, 'Internal Server Error');
    void send(reply, error);
  }
}
