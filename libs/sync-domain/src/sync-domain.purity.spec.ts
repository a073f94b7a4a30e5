import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The domain library must stay pure (architecture guide §5, conventions §3): no framework,
// database, broker or HTTP imports and no I/O in library code. Tests may read files.
const FORBIDDEN = /from '(@nestjs\/[^']*|typeorm|kafkajs|axios|pg|fastify|node:[^']*|fs|path|http|https|net|child_process|crypto)'/;

describe('sync-domain purity', () => {
  const libDir = join(__dirname, 'lib');
  const sources = readdirSync(libDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));

  it('given the library sources, then there are some to check', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it.each(sources)('given %s, then it imports no framework, I/O or clock', (name) => {
    const text = readFileSync(join(libDir, name), 'utf8');
    expect(text).not.toMatch(FORBIDDEN);
    expect(text).not.toMatch(/Date\.now\(|new Date\(\)|process\.env|Math\.random\(/);
    expect(text).not.toMatch(/:\s*any\b|as any\b/);
  });
});
