import { Logger } from '@nestjs/common';
import { createStructuredLogger, StructuredLogger } from './structured-logger';
import { REDACTED } from './log-redaction';

function capture(format: 'json' | 'pretty' = 'json', level: 'log' | 'debug' | 'warn' = 'log'): { logger: StructuredLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = createStructuredLogger({ service: 'unit', level, format, destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines };
}

const records = (lines: string[]): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('structured logger', () => {
  const TOKEN = 'u+CanaryToken-7f3a9c1e5b2d4f60';

  it('writes one JSON object per line, with level, time, service, context, message and fields', () => {
    const { logger, lines } = capture();
    logger.warn({ msg: 'delivery rejected', integrationId: 'i-1', incidentId: 'inc-9', messageId: 'm-3' }, 'ReceiveWebhookService');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    const [record] = records(lines);
    expect(record).toMatchObject({ level: 'warn', service: 'unit', context: 'ReceiveWebhookService', msg: 'delivery rejected', integrationId: 'i-1', incidentId: 'inc-9', messageId: 'm-3' });
    expect(new Date(String(record!.time)).toISOString()).toBe(record!.time);
  });

  it('redacts secrets wherever they sit: headers, tokens, credentials, nested objects and errors', () => {
    const { logger, lines } = capture();
    const upstream = Object.assign(new Error('request failed'), { config: { headers: { Authorization: `Token token=${TOKEN}` } }, code: 'ECONNRESET' });
    logger.error({
      msg: 'call failed',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-internal-token': TOKEN, cookie: `s=${TOKEN}`, 'content-type': 'application/json' },
      token: TOKEN,
      integration: { id: 'i-1', credentials: { token: TOKEN }, webhookSecret: TOKEN, webhookSecretId: 'ws-1', nested: { deeper: { apiKey: TOKEN, api_key: TOKEN, password: TOKEN } } },
      note: `sent with Authorization: Bearer ${TOKEN} and then Token token=${TOKEN}`,
      err: upstream,
      tokensAvailable: 12,
    });
    expect(lines.join('')).not.toContain(TOKEN);
    expect(lines.join('')).not.toContain('CanaryToken');
    const [record] = records(lines);
    expect(record).toMatchObject({
      headers: { authorization: REDACTED, 'x-internal-token': REDACTED, cookie: REDACTED, 'content-type': 'application/json' },
      token: REDACTED,
      integration: { id: 'i-1', credentials: REDACTED, webhookSecret: REDACTED, webhookSecretId: 'ws-1', nested: { deeper: { apiKey: REDACTED, api_key: REDACTED, password: REDACTED } } },
      err: { type: 'Error', message: 'request failed', code: 'ECONNRESET' },
      tokensAvailable: 12,
    });
    expect(record!.note).toBe(`sent with Authorization: Bearer ${REDACTED} and then Token token=${REDACTED}`);
  });

  it('redacts a credential spliced into the message text itself', () => {
    const { logger, lines } = capture();
    logger.log(`upstream said: Bearer ${TOKEN}`);
    expect(lines.join('')).not.toContain(TOKEN);
  });

  it('keeps caller values out of the message: control characters and line breaks cannot forge a line', () => {
    const { logger, lines } = capture();
    const hostile = 'ops\n{"level":"fatal","msg":"forged"}\u0000\u001b[31m';
    logger.log({ msg: 'API key created', keyName: hostile, organizationId: 'acme' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(records(lines)[0]).toMatchObject({ msg: 'API key created', keyName: hostile });
  });

  it('bounds long caller values and survives cycles', () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    logger.log({ msg: 'big', description: 'x'.repeat(70000), cyclic });
    const [record] = records(lines);
    expect(String(record!.description).length).toBeLessThan(2100);
    expect(record!.description).toMatch(/\[\+67952 chars\]$/);
    expect(record!.cyclic).toEqual({ name: 'a', self: '[Circular]' });
  });

  it("serves Nest's Logger: context, error stacks, levels", () => {
    const { logger, lines } = capture('json', 'log');
    Logger.overrideLogger(logger);
    try {
      new Logger('Errors').error('unhandled error', 'Error: boom\n    at x');
      new Logger('Quiet').debug('not at this level');
      new Logger('Plain').log('listening');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(records(lines)).toEqual([
      expect.objectContaining({ level: 'error', context: 'Errors', msg: 'unhandled error', stack: 'Error: boom\n    at x' }),
      expect.objectContaining({ level: 'info', context: 'Plain', msg: 'listening' }),
    ]);
  });

  it('LOG_FORMAT=pretty prints one readable line per event, redacted and escaped the same way', () => {
    const { logger, lines } = capture('pretty');
    logger.warn({ msg: 'key created', keyName: 'ops team\n2', token: TOKEN, integrationId: 'i-1' }, 'ApiKeyService');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[unit\] ApiKeyService: key created keyName="ops team\\n2" token="\[REDACTED\]" integrationId=i-1\n$/);
    expect(line).not.toContain(TOKEN);
  });
});
