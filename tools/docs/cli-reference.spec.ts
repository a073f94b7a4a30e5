import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_REFERENCE_PATH, commandPath, imProgram, leafCommands, renderCliReference } from './cli-reference';
import { checkCommandLine, docCommandLines, shellWords } from './doc-command-lines';

const root = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const REGENERATE = 'npm run build && node -r ./tools/register-paths.js dist/tools/docs/cli-reference.js --write';

/** The pages whose `im …` lines must run as written: the user guides and the README. */
const pages = ['README.md', ...readdirSync(join(root, 'docs', 'user')).filter((f) => f.endsWith('.md')).map((f) => `docs/user/${f}`)];

describe('the CLI reference (docs/user/cli-reference.md)', () => {
  const committed = read(CLI_REFERENCE_PATH);

  it('names every command and every flag of the real program', () => {
    const missing: string[] = [];
    const program = imProgram();
    for (const option of program.options) if (!committed.includes(`\`${option.flags}\``)) missing.push(`im ${option.flags}`);
    for (const leaf of leafCommands(program)) {
      if (!committed.includes(`### ${commandPath(leaf)}\n`)) missing.push(commandPath(leaf));
      for (const option of leaf.options) if (!committed.includes(`\`${option.flags}\``)) missing.push(`${commandPath(leaf)} ${option.flags}`);
    }
    expect(missing).toEqual([]);
  });

  it(`is exactly what the generator renders (else: ${REGENERATE})`, () => {
    expect(committed).toBe(renderCliReference());
  });
});

describe('im command lines in the documentation', () => {
  it.each(pages.map((p) => [p]))('%s: every fenced `im …` line parses with the real program', (page) => {
    const failures = docCommandLines(read(page))
      .map((c) => ({ ...c, error: checkCommandLine(imProgram(), c.text) }))
      .filter((c) => c.error !== null)
      .map((c) => `${page}:${c.line}: ${c.text} → ${c.error}`);
    expect(failures).toEqual([]);
  });

  it('the user guides show the commands they talk about', () => {
    const count = pages.filter((p) => p.startsWith('docs/user/')).reduce((n, p) => n + docCommandLines(read(p)).length, 0);
    expect(count).toBeGreaterThanOrEqual(40);
  });
});

describe('the documentation command checker', () => {
  const check = (text: string): string | null => checkCommandLine(imProgram(), text);

  it('accepts commands as the shell would pass them', () => {
    expect(check('im integration configure prod-pd --rate-limit 100 --backoff-multiplier 2')).toBeNull();
    expect(check('im integration configure --name "Production PagerDuty" --slug prod-pd --token "$PD_TOKEN"   # a comment')).toBeNull();
    expect(check('im --format json dlq replay --topic pagerduty.commands.v1')).toBeNull();
    expect(check('im conflict resolve 3f0c --take value --value "SEV-2"')).toBeNull();
    expect(check('im integration reconcile --help')).toBeNull();
  });

  it('refuses what the real program refuses, naming why', () => {
    expect(check('im integration configure prod-pd --rate-limt 100')).toMatch(/unknown option '--rate-limt'/);
    expect(check('im integration configure prod-pd --direction both-ways')).toMatch(/both-ways.*invalid|Allowed choices/);
    expect(check('im integration configure prod-pd --rate-limit fast')).toMatch(/expected a number/);
    expect(check('im integration field-ownership set prod-pd title')).toMatch(/--owner/);
    expect(check('im integration history prod-pd')).toMatch(/--incident/);
    expect(check('im integration sync-status')).toMatch(/missing required argument/);
    expect(check('im integration backfil prod-pd')).toMatch(/unknown command/);
    expect(check('im integration')).toMatch(/command group/);
    expect(check('im conflict list --integration "prod-pd')).toMatch(/unterminated/);
  });

  it('finds commands in fenced blocks only, joining continuation lines', () => {
    const page = [
      'Run `im integration list` (prose, not checked).',
      '```bash',
      'export IM_API_KEY=isk_x',
      'im integration configure --name "A" \\',
      '  --slug a   # trailing comment',
      '$ im dlq list',
      'imaginary --flag',
      '```',
      'im incident list',
    ].join('\n');
    expect(docCommandLines(page)).toEqual([
      { line: 4, text: 'im integration configure --name "A"  --slug a   # trailing comment' },
      { line: 6, text: 'im dlq list' },
    ]);
    expect(shellWords('im a "b c" \'d "e"\' f\\ g "h\\"i" # j')).toEqual(['im', 'a', 'b c', 'd "e"', 'f g', 'h"i']);
  });
});
