import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../src/route-table';
import { PUBLIC_ROUTES, ROUTE_PREFIXES } from './support/public-routes';

const APPS = join(__dirname, '..', '..', '..');

/** `GET /api/v1/…` for every handler of every controller in apps/*\/src (the simulator is not the product). */
function controllerRoutes(): string[] {
  const routes: string[] = [];
  for (const app of readdirSync(APPS)) {
    if (app === 'pagerduty-sim') continue;
    let files: string[];
    try {
      files = readdirSync(join(APPS, app, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      const source = readFileSync(join(APPS, app, 'src', file), 'utf8');
      // Each @Controller('base') applies to the handlers that follow it, up to the next @Controller.
      const parts = source.split(/(?=@Controller\()/);
      for (const part of parts) {
        const base = /^@Controller\((?:'([^']*)')?\)/.exec(part);
        if (!base) continue;
        for (const m of part.matchAll(/@(Get|Post|Put|Patch|Delete)\((?:'([^']*)')?\)/g)) {
          const path = ['', base[1] ?? '', m[2] ?? ''].filter((s, i) => i === 0 || s !== '').join('/').replace(/\/+/g, '/');
          routes.push(`${m[1]!.toUpperCase()} ${path}`);
        }
      }
    }
  }
  return routes;
}

describe('the security tier\'s list of public routes', () => {
  it('is exactly the controllers\' routes outside /internal and /health', () => {
    const declared = controllerRoutes().filter((r) => !/ \/(internal|health)(\/|$)/.test(r)).sort();
    expect(declared.length).toBeGreaterThan(40);
    expect(PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(declared);
  });

  it('has a traversal prefix for every gateway route, and every prefix is routed', () => {
    const samples = ROUTE_PREFIXES.map((p) => p.replace('{integration}', 'x'));
    for (const route of ROUTES) expect(samples.some((s) => route.pattern.test(s) || route.pattern.test(`${s}/y`))).toBe(true);
    for (const s of samples) expect(ROUTES.some((route) => route.pattern.test(s) || route.pattern.test(`${s}/y`))).toBe(true);
  });
});
