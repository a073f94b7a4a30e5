import { INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { createValidationPipe } from './validation.pipe';
import { registerJsonBodyParser } from './json-body.parser';

export interface BootstrapOptions {
  name: string;
  module: Type<unknown>;
  host: string;
  port: number;
  logLevel?: LogLevel;
  /** Keep the exact request bytes (webhook signatures are computed over them). */
  rawBody?: boolean;
  bodyLimitBytes?: number;
  /** false: Nest registers no body parsers (the gateway forwards raw bytes with its own). */
  bodyParser?: boolean;
  /** Runs after the HTTP app is created and before it listens (e.g. connect Kafka consumers). */
  beforeListen?: (app: NestFastifyApplication) => Promise<void>;
}

/**
 * REST bodies: 256 KiB. Every REST field is capped far below (see README "Size limits"), and
 * an event built from one request (old and new values plus a snapshot) stays well under
 * Kafka's 1 MiB message limit.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Starts one service: fastify, validation, shutdown hooks (SIGTERM lets in-flight requests
 * finish, disconnects consumers so offsets are committed, closes the database pool).
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const level = options.logLevel ?? 'log';
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  // Nest registers no body parser: ours (registerJsonBodyParser) replaces fastify's JSON one.
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    new FastifyAdapter({ bodyLimit: bodyLimitBytes, trustProxy: true }),
    { bodyParser: false, logger: LEVELS.slice(0, LEVELS.indexOf(level) + 1), bufferLogs: false },
  );
  if (options.bodyParser ?? true) {
    registerJsonBodyParser(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, { bodyLimitBytes, rawBody: options.rawBody ?? false });
  }
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (options.beforeListen) await options.beforeListen(app);
  await app.listen(options.port, options.host);
  new Logger(options.name).log(`listening on http://${options.host}:${options.port}`);
  return app;
}

/** Entry-point wrapper: a failure to boot prints one clear reason and exits non-zero. */
export function runService(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fatal: ${message}\n`);
    process.exit(1);
  });
}
