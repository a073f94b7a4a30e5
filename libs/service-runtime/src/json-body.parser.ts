import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@incident-sync/contracts';
import { findUnsafeInput } from './unsafe-input';

export interface JsonBodyParserOptions {
  bodyLimitBytes: number;
  /**
   * Keep the exact bytes on `request.rawBody`, leave `request.body` unset and never reject a
   * body here (webhooks: PagerDuty signs the raw bytes and a 4xx makes it drop the event; the
   * handler parses once, after the signature verified — parsing here too cost a second
   * JSON.parse of every body, up to 960 KiB, before anyone knew it was genuine).
   */
  rawBody: boolean;
}

/**
 * Replaces fastify's JSON parser. Fastify's answers every problem with "Body is not valid
 * JSON" (its secure-json-parse throws on `__proto__` and `constructor.prototype`, and
 * the reason is lost), and lets NUL characters and lone surrogates through to PostgreSQL,
 * which rejects them (a 500). Here JSON.parse (own properties only: no prototype is ever
 * set) is followed by one walk that answers 400 naming the field or key.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function registerJsonBodyParser(fastify: FastifyInstance, options: JsonBodyParserOptions): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (request: FastifyRequest, body: Buffer | string, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (options.rawBody) {
      (request as FastifyRequest & { rawBody?: Buffer }).rawBody = bytes;
      done(null, undefined);
      return;
    }
    if (bytes.length === 0) {
      done(AppError.validation('body', 'the body is empty but Content-Type is application/json'), undefined);
      return;
    }
    let text: string;
    try {
      text = STRICT_UTF8.decode(bytes);
    } catch {
      // Decoding leniently would turn the bad bytes into U+FFFD and store text nobody sent.
      done(AppError.validation('body', 'the body is not valid UTF-8'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      done(AppError.validation('body', `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`), undefined);
      return;
    }
    const problem = findUnsafeInput(parsed);
    if (problem) {
      done(AppError.validation(problem.field, problem.message), undefined);
      return;
    }
    done(null, parsed);
  });
}
