import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** README's "Where things are" table names real files: a rename or a move must update it. */
describe('README: where things are', () => {
  const root = join(__dirname, '..', '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('### Where things are')[1]?.split(/\n## /)[0] ?? '';
  const paths = [...section.matchAll(/`((?:apps|libs|tools)\/[^`]+\.ts)`/g)].map((m) => m[1] as string);

  it('lists the concerns a reader looks for', () => {
    for (const concern of ['signature check', 'token bucket', 'echo suppression', 'conflict choice', 'DLQ replay']) {
      expect(section).toContain(concern);
    }
    expect(paths.length).toBeGreaterThanOrEqual(15);
  });

  it.each(paths.map((p) => [p]))('%s exists', (path) => {
    expect(existsSync(join(root, path))).toBe(true);
  });
});
