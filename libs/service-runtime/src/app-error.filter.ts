import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AppError, ErrorBody, ErrorCode, httpStatusOf, isDatabaseUnavailable } from '@incident-sync/contracts';

interface FastifyLikeReply {
  status(code: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(body: unknown): void;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_UNAVAILABLE',
};

/**
 * The one mapping from errors to HTTP at every service edge (CONVENTIONS §8). Unknown errors
 * become a 500 whose body says nothing internal; only the message and stack are logged,
 * never the error object (an HTTP client error would carry request headers, i.e. tokens).
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyLikeReply>();
    const { status, body } = this.toResponse(exception);
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody | Record<string, unknown> } {
    if (exception instanceof AppError) {
      const error: ErrorBody['error'] = { code: exception.code, message: exception.message };
      if (exception.field) error.field = exception.field;
      return { status: httpStatusOf(exception.code), body: { error } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      // Health reports carry their own body shape.
      if (typeof response === 'object' && response !== null && 'status' in response && 'checks' in response) {
        return { status, body: response as Record<string, unknown> };
      }
      const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
      // The body limit (fastify's, surfaced by Nest as PayloadTooLargeException) concerns the whole body.
      if (status === 413) return { status, body: { error: { code, message: 'request body is too large', field: 'body' } } };
      return { status, body: { error: { code, message: exception.message } } };
    }
    // Fastify's own errors (unparseable JSON, body too large, bad content type) carry statusCode.
    const fastifyError = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      const status = fastifyError.statusCode;
      const code = STATUS_CODES[status] ?? 'VALIDATION_FAILED';
      const message = status === 413 ? 'request body is too large' : `request body: ${String(fastifyError.message)}`;
      return { status, body: { error: { code, message, field: 'body' } } };
    }
    const unavailable = dependencyUnavailableResponse(exception);
    if (unavailable) return unavailable;
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({ msg: 'unhandled error', err });
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; it has been logged' } } };
  }
}

/**
 * Our database cannot be reached right now (a restart, a failover): a 503 the caller can
 * retry, not a 500. Driver errors are matched by SQLSTATE class and connection messages
 * (isDatabaseUnavailable); the body names nothing internal.
 */
function dependencyUnavailableResponse(exception: unknown): { status: number; body: ErrorBody } | null {
  if (!isDatabaseUnavailable(exception)) return null;
  return { status: 503, body: { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'the database is unavailable for a moment; retry the request' } } };
}
