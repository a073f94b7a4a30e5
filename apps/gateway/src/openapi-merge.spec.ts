import { mergeOpenApiParts, OpenApiDocument } from './openapi-merge';

const info = { title: 't', version: '1' };
const part = (paths: OpenApiDocument['paths'], schemas: Record<string, unknown> = {}): OpenApiDocument =>
  ({ openapi: '3.0.0', info: { title: 'p', version: '1' }, paths, components: { schemas } });
const op = (ref?: string) => ({ responses: { 200: { description: '' } }, ...(ref ? { requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } } } : {}) });

describe('mergeOpenApiParts', () => {
  it('keeps one copy of a schema two services define the same way, and namespaces a clash', () => {
    const merged = mergeOpenApiParts([
      { service: 'incidents', document: part({ '/api/v1/incidents': { post: op('Shared'), get: op('ListQuery') } }, { Shared: { type: 'object' }, ListQuery: { type: 'object', properties: { a: { type: 'string' } } } }) },
      { service: 'dlq-manager', document: part({ '/api/v1/dlq': { get: op('ListQuery') } }, { Shared: { type: 'object' }, ListQuery: { type: 'object', properties: { b: { type: 'string' } } } }) },
    ], info);
    expect(Object.keys(merged.components!.schemas!).sort()).toEqual(['DlqManagerListQuery', 'Error', 'IncidentsListQuery', 'Shared']);
    const body = (path: string, method: string) => JSON.stringify((merged.paths[path]![method] as Record<string, unknown>).requestBody);
    expect(body('/api/v1/incidents', 'get')).toContain('#/components/schemas/IncidentsListQuery');
    expect(body('/api/v1/dlq', 'get')).toContain('#/components/schemas/DlqManagerListQuery');
    expect(body('/api/v1/incidents', 'post')).toContain('#/components/schemas/Shared');
  });

  it('tags operations by service; the API key everywhere except the public webhook delivery', () => {
    const merged = mergeOpenApiParts([{ service: 'webhook-ingress', document: part({ '/api/v1/webhooks/{id}': { post: op() }, '/api/v1/webhooks/{id}/test': { post: op() } }) }], info);
    expect(merged.security).toEqual([{ apiKey: [] }]);
    expect(merged.paths['/api/v1/webhooks/{id}']!.post).toMatchObject({ tags: ['webhook-ingress'], security: [] });
    expect(merged.paths['/api/v1/webhooks/{id}/test']!.post).not.toHaveProperty('security');
    expect(merged.paths['/api/v1/webhooks/{id}/test']!.post).toMatchObject({ responses: { 200: {}, default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } });
  });

  it('keeps its own Error schema and namespaces a service\'s different one', () => {
    const merged = mergeOpenApiParts([{ service: 'incidents', document: part({ '/api/v1/incidents': { post: op('Error') } }, { Error: { type: 'string' } }) }], info);
    expect(merged.components!.schemas!.IncidentsError).toEqual({ type: 'string' });
    expect(merged.components!.schemas!.Error).toMatchObject({ required: ['error'] });
    expect(JSON.stringify(merged.paths['/api/v1/incidents']!.post)).toContain('#/components/schemas/IncidentsError');
  });

  it('refuses a path documented by a service the gateway does not route it to, or by two services', () => {
    expect(() => mergeOpenApiParts([{ service: 'incidents', document: part({ '/api/v1/dlq': { get: op() } }) }], info)).toThrow('incidents documents /api/v1/dlq, which the gateway routes to dlq-manager');
    expect(() => mergeOpenApiParts([
      { service: 'incidents', document: part({ '/api/v1/incidents': { get: op() } }) },
      { service: 'incidents', document: part({ '/api/v1/incidents': { post: op() } }) },
    ], info)).toThrow('documented by two services');
  });
});
