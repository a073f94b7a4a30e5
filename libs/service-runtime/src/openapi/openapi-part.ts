import { Controller, Get, INestApplication, Injectable } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { describeValidatedDtos } from './validation-schemas';

/** The public prefix a service's part documents; /internal, /health and /metrics stay out. */
export const PUBLIC_API_PREFIX = '/api/v1/';

/** Builds a service's part of the API reference from its controllers and validated DTOs. */
export function buildOpenApiPart(app: INestApplication, service: string): OpenAPIObject {
  describeValidatedDtos();
  const config = new DocumentBuilder().setTitle(service).setVersion('1').build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller}_${method}` });
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith(PUBLIC_API_PREFIX)));
  for (const [path, item] of Object.entries(document.paths)) completeOperations(path, item as Record<string, OperationObject>);
  return document;
}

const STATUS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

/**
 * OpenAPI requires every `{name}` of a path template to be declared on each operation; a handler
 * that does not read a controller-level parameter (`:ref` used only by a sibling) declares none.
 * Nest leaves each success response's description empty: it gets the status text.
 */
function completeOperations(path: string, item: Record<string, OperationObject>): void {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  for (const operation of Object.values(item)) {
    if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
    for (const [status, response] of Object.entries(operation.responses)) {
      if (response && 'description' in response && !response.description) response.description = STATUS_TEXT[status] ?? 'Success';
    }
    const declared = new Set((operation.parameters ?? []).filter((p) => 'in' in p && p.in === 'path').map((p) => (p as { name: string }).name));
    for (const name of names) {
      if (!declared.has(name)) (operation.parameters ??= []).push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
}

/** Holds the part built at boot (bootstrapService), for the internal route below. */
@Injectable()
export class OpenApiPart {
  private document: OpenAPIObject | undefined;
  set(document: OpenAPIObject): void {
    this.document = document;
  }
  get(): OpenAPIObject | undefined {
    return this.document;
  }
}

/**
 * GET /internal/v1/openapi.json: this service's part, which the gateway merges into the one
 * reference it serves. Internal token only (the global guard), like every /internal route.
 */
@Controller('internal/v1')
export class OpenApiController {
  constructor(private readonly part: OpenApiPart) {}

  @Get('openapi.json')
  openapi(): OpenAPIObject {
    const document = this.part.get();
    if (!document) throw new Error('the OpenAPI part is built at boot and is missing');
    return document;
  }
}
