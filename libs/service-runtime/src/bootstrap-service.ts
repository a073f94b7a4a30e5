import { DynamicModule, INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggingEnv } from './base-env';
import { loadConfig } from './load-config';
import { createStructuredLogger, setProcessLogFormat } from './logging/structured-logger';
import type { FastifyInstance } from 'fastify';
import { createValidationPipe } from './validation.pipe';
import { buildOpenApiPart, OpenApiPart } from './openapi/openapi-part';
import { registerJsonBodyParser } from './json-body.parser';
import { clientErrorHandler, frameworkErrors, INTERNAL_MAX_HEADER_BYTES, MAX_PATH_PARAM_LENGTH, PUBLIC_MAX_HEADER_BYTES } from './http-edge-errors';

export interface BootstrapOptions {
  name: string;
  /** The root module: a class, or the DynamicModule its `forRoot(env)` returns. */
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  logLevel?: LogLevel;
  /** Keep the exact request bytes (webhook signatures are computed over them). */
  rawBody?: boolean;
  bodyLimitBytes?: number;
  /** false: Nest registers no body parsers (the gateway forwards raw bytes with its own). */
  bodyParser?: boolean;
  /** The public edge (the gateway): Node's header limit; internal services accept twice that. */
  publicEdge?: boolean;
  /** Runs after the HTTP app is created and before it listens (e.g. connect Kafka consumers). */
  beforeListen?: (app: NestFastifyApplication) => Promise<void>;
}

/**
 * REST bodies: 256 KiB. Every REST field is capped far below (see README "Size limits"), and
 * an event built from one request (old and new values plus a snapshot) stays well under
 * Kafka's 1 MiB message limit.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Starts one service: fastify, validation, shutdown hooks (SIGTERM lets in-flight requests
 * finish, disconnects consumers so offsets are committed, closes the database pool).
 * Every log line of the process, Nest's own included, goes through the structured logger
 * (JSON or pretty per LOG_FORMAT, secrets redacted).
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const logger = createStructuredLogger({ service: options.name, level: options.logLevel ?? 'log' });
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxHeaderSize = options.publicEdge ? PUBLIC_MAX_HEADER_BYTES : INTERNAL_MAX_HEADER_BYTES;
  // Nest registers no body parser: ours (registerJsonBodyParser) replaces fastify's JSON one.
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    new FastifyAdapter({
      bodyLimit: bodyLimitBytes,
      trustProxy: true,
      maxParamLength: MAX_PATH_PARAM_LENGTH,
      http: { maxHeaderSize },
      frameworkErrors,
      clientErrorHandler: clientErrorHandler(maxHeaderSize),
    }),
    { bodyParser: false, logger, bufferLogs: false },
  );
  if (options.bodyParser ?? true) {
    registerJsonBodyParser(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, { bodyLimitBytes, rawBody: options.rawBody ?? false });
  }
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // This service's part of the API reference, from its controllers (GET /internal/v1/openapi.json).
  // An app without ServiceRuntimeModule (the PagerDuty simulator) has no part to serve.
  openApiHolder(app)?.set(buildOpenApiPart(app, options.name));
  if (options.beforeListen) await options.beforeListen(app);
  await app.listen(options.port, options.host);
  new Logger(options.name).log({ msg: 'listening', url: `http://${options.host}:${options.port}` });
  return app;
}

/** The holder of ServiceRuntimeModule, when the app imports it (app.get would abort the process). */
function openApiHolder(app: INestApplication): OpenApiPart | undefined {
  const present = [...app.get(ModulesContainer).values()].some((module) => module.providers.has(OpenApiPart));
  return present ? app.get(OpenApiPart, { strict: false }) : undefined;
}

/**
 * Entry-point wrapper: sets the process's log format from LOG_FORMAT, then starts; a failure
 * to boot is logged as one fatal line with one clear reason, and the process exits non-zero.
 * (A bad LOG_FORMAT itself falls back to JSON here and is named by the service's own
 * configuration check, which validates the same variable.)
 */
export function runService(start: () => Promise<unknown>): void {
  try {
    setProcessLogFormat(loadConfig(LoggingEnv).LOG_FORMAT);
  } catch {
    setProcessLogFormat('json');
  }
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    createStructuredLogger().fatal({ msg: `fatal: ${message}` });
    process.exit(1);
  });
}
