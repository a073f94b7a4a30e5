import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger as Pino } from 'pino';
import { LogFormat } from './log-format';
import { MAX_LOGGED_STRING, redactForLog, redactText } from './log-redaction';
import { prettyLogLine } from './pretty-log-line';

const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

export interface StructuredLoggerOptions {
  /** The `service` field of every line. */
  service?: string;
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go (tests capture them); stdout by default, written synchronously so a crash loses nothing. */
  destination?: { write(line: string): unknown };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

/**
 * Nest's LoggerService on pino: one JSON object per line with `level`, `time`, `service`,
 * `context` (the Nest logger's name), `msg` and the event's fields. Caller-supplied values
 * are fields, never spliced into `msg`:
 *
 *   this.logger.warn({ msg: 'delivery rejected', integrationId, reason })
 *   this.logger.error({ msg: 'dispatch failed', integrationId, err: error })
 *
 * Every record goes through redactForLog (secrets masked at any depth, strings bounded).
 */
export class StructuredLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void { this.write('info', message, params); }
  error(message: unknown, ...params: unknown[]): void { this.write('error', message, params); }
  warn(message: unknown, ...params: unknown[]): void { this.write('warn', message, params); }
  debug(message: unknown, ...params: unknown[]): void { this.write('debug', message, params); }
  verbose(message: unknown, ...params: unknown[]): void { this.write('trace', message, params); }
  fatal(message: unknown, ...params: unknown[]): void { this.write('fatal', message, params); }

  setLogLevels(levels: LogLevel[]): void {
    // Nest passes every enabled level; the most verbose of them is pino's threshold.
    const order: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const lowest = order.find((l) => levels.includes(l));
    if (lowest) this.pino.level = PINO_LEVEL[lowest];
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    // Nest's Logger appends its context (the name given to `new Logger(name)`) as the last argument.
    const last = rest[rest.length - 1];
    if (rest.length > 0 && typeof last === 'string') {
      fields.context = last;
      rest.pop();
    }
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (isPlainObject(message)) {
      const { msg: m, message: text, ...own } = message;
      Object.assign(fields, own);
      msg = typeof m === 'string' ? m : typeof text === 'string' ? text : '';
    } else {
      msg = String(message);
    }
    for (const p of rest) {
      if (p === undefined) continue;
      // Nest's error(message, stack, context) contract.
      if (typeof p === 'string' && (level === 'error' || level === 'fatal')) fields.stack = p;
      else if (p instanceof Error) fields.err = p;
      else if (isPlainObject(p)) Object.assign(fields, p);
      else ((fields.extra ??= []) as unknown[]).push(p);
    }
    this.pino[level](fields, redactText(msg, 2 * MAX_LOGGED_STRING));
  }
}

let processFormat: LogFormat = 'json';

/** Called once per process (runService) with the validated LOG_FORMAT. */
export function setProcessLogFormat(format: LogFormat): void {
  processFormat = format;
}

/** A logger writing to stdout in the process's LOG_FORMAT (or the given one). */
export function createStructuredLogger(options: StructuredLoggerOptions = {}): StructuredLogger {
  const format = options.format ?? processFormat;
  const sink = options.destination ?? pino.destination({ dest: 1, sync: true });
  const destination: DestinationStream = format === 'pretty' ? { write: (line: string) => void sink.write(prettyLogLine(line)) } : { write: (line: string) => void sink.write(line) };
  const instance = pino(
    {
      level: PINO_LEVEL[options.level ?? 'log'],
      base: options.service ? { service: options.service, pid: process.pid } : { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      // redactForLog has already turned errors into plain, redacted objects; pino's own
      // serializer would walk them again (and re-label their type).
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactForLog(fields),
      },
    },
    destination,
  );
  return new StructuredLogger(instance);
}
