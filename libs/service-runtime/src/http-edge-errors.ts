import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody } from '@incident-sync/contracts';

/**
 * Errors fastify and Node's HTTP parser answer before any of our code runs, in the one error
 * body shape every other answer has (`{"error":{"code","message","field"}}`). Fastify's
 * defaults answer these in their own shape, and the parser's answers (431, 400) close the
 * socket without saying `Connection: close`, so a keep-alive client that reuses the
 * connection at that moment sees it reset instead of an answer.
 */

/** A path parameter longer than this names nothing we store (ids are UUIDs, slugs are ≤ 63). */
export const MAX_PATH_PARAM_LENGTH = 512;
/** Request headers at a public edge (Node's default); internal services accept twice that, see below. */
export const PUBLIC_MAX_HEADER_BYTES = 16 * 1024;
/**
 * Request headers at an internal service: the gateway forwards at most PUBLIC_MAX_HEADER_BYTES
 * of the caller's headers plus its own trusted ones, so a request the gateway accepted is
 * never refused downstream for its headers.
 */
export const INTERNAL_MAX_HEADER_BYTES = 32 * 1024;

/** How long a connection refused by the HTTP parser is read and drained before it is dropped. */
const LINGER_MS = 5000;

function errorBody(code: ErrorBody['error']['code'], message: string, field: string): string {
  const body: ErrorBody = { error: { code, message, field } };
  return JSON.stringify(body);
}

/** fastify's `frameworkErrors`: a malformed percent-encoding or an over-long path parameter. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const message = tooLong
    ? `a path segment is longer than ${MAX_PATH_PARAM_LENGTH} characters`
    : error.code === 'FST_ERR_BAD_URL'
      ? 'the path is not valid percent-encoded UTF-8'
      : 'the request could not be routed';
  void reply.status(400).header('content-type', 'application/json; charset=utf-8').send(errorBody('VALIDATION_FAILED', message, 'path'));
}

/** What the HTTP parser could not accept, as status, message and the part of the request it concerns. */
export function clientErrorAnswer(code: string | undefined, maxHeaderBytes: number): { status: number; message: string; field: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: `request headers are larger than ${maxHeaderBytes} bytes`, field: 'headers' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_REQUEST_TIMEOUT_EXCEEDED') return { status: 408, message: 'the request was not received in time', field: 'request' };
  return { status: 400, message: 'the request is not valid HTTP/1.1 (request line, header or framing)', field: 'request' };
}

/** fastify's `clientErrorHandler`: answers in our shape, says it closes, then closes. */
export function clientErrorHandler(maxHeaderBytes: number): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, message, field } = clientErrorAnswer(error.code, maxHeaderBytes);
    const body = errorBody('VALIDATION_FAILED', message, field);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // A lingering close: answer, half-close, and read (and drop) what the client is still
    // sending until it closes too. Destroying a socket with unread bytes sends a TCP reset,
    // which discards the answer before a client that is still writing its body can read it.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    socket.setTimeout(LINGER_MS, () => socket.destroy());
    socket.on('data', () => undefined);
    socket.resume();
  };
}
