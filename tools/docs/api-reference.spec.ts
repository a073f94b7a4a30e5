import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_REFERENCE_PATH, buildParts, renderApiReference } from './api-reference';

const root = join(__dirname, '..', '..');
const REGENERATE = 'npm run build && node -r ./tools/register-paths.js dist/tools/docs/api-reference.js --write';

describe('the REST API field reference (docs/user/api-reference.md)', () => {
  let parts: Map<string, OpenAPIObject>;
  let rendered: string;
  const committed = readFileSync(join(root, API_REFERENCE_PATH), 'utf8');

  beforeAll(async () => {
    parts = await buildParts();
    rendered = renderApiReference(parts);
  }, 180_000);

  it('documents every /api/v1 operation of every service behind the gateway', () => {
    const operations = [...parts.values()].flatMap((p) => Object.entries(p.paths).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'patch', 'delete'].filter((m) => m in item).map((m) => `### ${m.toUpperCase()} ${path}\n`)));
    expect(operations.length).toBeGreaterThanOrEqual(40);
    expect(operations.filter((o) => !committed.includes(o))).toEqual([]);
  });

  it('names the request fields the services validate, with their rules', () => {
    expect(committed).toContain('| `credentials.token` | body | string | yes |');
    expect(committed).toMatch(/\| `conflict_strategy` \| body \| string \| {2}\| one of `last-write-wins`, `ownership-priority`, `manual-review` \|/);
    expect(committed).toMatch(/### POST \/api\/v1\/conflicts\/\{id\}\/resolve[\s\S]*?`decision` \| body/);
  });

  it(`is exactly what the generator renders (else: ${REGENERATE})`, () => {
    expect(committed).toBe(rendered);
  });
});
