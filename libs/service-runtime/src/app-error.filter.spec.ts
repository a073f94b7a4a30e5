import { ArgumentsHost, HttpException, Logger, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { AppErrorFilter } from './app-error.filter';

/** What the filter answers for an exception, through a reply that records status, headers and body. */
function answer(exception: unknown): { status: number; body: any; contentType: string | undefined } {
  const sent: { status: number; body: any; headers: Record<string, string> } = { status: 0, body: undefined, headers: {} };
  const reply = {
    status(code: number) { sent.status = code; return reply; },
    header(name: string, value: string) { sent.headers[name] = value; return reply; },
    send(body: unknown) { sent.body = body; },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new AppErrorFilter().catch(exception, host);
  return { status: sent.status, body: sent.body, contentType: sent.headers['content-type'] };
}

describe('AppErrorFilter: the one mapping from errors to HTTP', () => {
  afterEach(() => jest.restoreAllMocks());

  it('given an AppError, then its status, code, message and field are the answer', () => {
    expect(answer(AppError.validation('since', 'since must be an ISO-8601 time'))).toEqual({
      status: 400, contentType: 'application/json; charset=utf-8',
      body: { error: { code: 'VALIDATION_FAILED', message: 'since must be an ISO-8601 time', field: 'since' } },
    });
    expect(answer(AppError.notFound('integration x')).status).toBe(404);
  });

  it('given a Nest HttpException, then the status is kept and mapped to our error code', () => {
    expect(answer(new NotFoundException('no route'))).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route' } } });
    expect(answer(new HttpException('teapot', 418))).toMatchObject({ status: 418, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(answer(new PayloadTooLargeException())).toEqual(expect.objectContaining({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large', field: 'body' } } }));
  });

  it('given a health report, then its own body shape is kept', () => {
    const report = { status: 'error', checks: { database: 'down' } };
    expect(answer(new HttpException(report, 503))).toMatchObject({ status: 503, body: report });
  });

  it('given fastify’s own 4xx (unparseable JSON), then it is a 400 naming the body', () => {
    const error = Object.assign(new Error('Unexpected token } in JSON at position 9'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON' });
    expect(answer(error)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body', message: expect.stringContaining('request body: Unexpected token') } } });
  });

  it('given the database is unreachable (SQLSTATE 57P01, a restart), then a 503 says to retry and names nothing internal', () => {
    const error = Object.assign(new Error('terminating connection due to administrator command at 10.0.0.5'), { code: '57P01' });
    const { status, body } = answer(error);
    expect(status).toBe(503);
    expect(body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toContain('10.0.0.5');
  });

  it('given an unknown error, then a 500 whose body says nothing of it, and only its message and stack are logged', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = Object.assign(new Error('GET https://api.pagerduty.com failed'), { config: { headers: { Authorization: 'Token token=secret-abc' } } });
    const { status, body } = answer(error);
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: 'internal error; it has been logged' } });
    expect(JSON.stringify(body)).not.toContain('secret-abc');
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('given a non-HTTP context (a Kafka handler), then the exception is rethrown for the consumer to classify', () => {
    const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    const error = new Error('handler failed');
    expect(() => new AppErrorFilter().catch(error, host)).toThrow(error);
  });
});
