import { Command } from 'commander';
import { describeFailure } from './api-http';
import { CliContext } from './cli-context';
import { integrationGroup } from './commands/command-groups';
import { parseBoolean, parseKeyValueList, parseNumber } from './option-parsers';
import { Output } from './output';
import { buildProgram } from './program';

const sink = (): { text: string; write(t: string): void } => ({ text: '', write(t: string) { this.text += t; } });

describe('im CLI building blocks', () => {
  it('turns API errors into one line: CODE field: message', () => {
    expect(describeFailure(400, { error: { code: 'VALIDATION_FAILED', message: 'must be one of none, inbound', field: 'sync_direction' } }))
      .toBe('VALIDATION_FAILED sync_direction: must be one of none, inbound');
    expect(describeFailure(400, { error: { code: 'VALIDATION_FAILED', message: 'rate_limit must not be less than 1', field: 'rate_limit' } }))
      .toBe('VALIDATION_FAILED rate_limit must not be less than 1');
    expect(describeFailure(404, { error: { code: 'NOT_FOUND', message: 'integration x\nnot found' } })).toBe('NOT_FOUND integration x not found');
    expect(describeFailure(502, '<html>\nbad gateway</html>')).toBe('HTTP 502 <html> bad gateway</html>');
  });

  it('prints aligned tables for people and the JSON as given for scripts', () => {
    const out = sink();
    new Output('table', out).list([{ a: 'x', b: 1 }, { a: 'longer', b: null }], [{ header: 'A', value: (r) => r.a }, { header: 'B', value: (r) => r.b }]);
    expect(out.text).toBe('A       B\nx       1\nlonger  -\n');
    const json = sink();
    new Output('json', json).list([{ a: 'x' }], [{ header: 'A', value: (r) => r.a }], { data: [{ a: 'x' }] });
    expect(JSON.parse(json.text)).toEqual({ data: [{ a: 'x' }] });
  });

  it('parses option values strictly', () => {
    expect(parseBoolean('true')).toBe(true);
    expect(parseBoolean('No')).toBe(false);
    expect(() => parseBoolean('maybe')).toThrow();
    expect(parseNumber('-5')).toBe(-5);
    expect(() => parseNumber('fast')).toThrow();
    expect(parseKeyValueList('P1=SEV-1, P2=SEV-2')).toEqual({ P1: 'SEV-1', P2: 'SEV-2' });
    expect(() => parseKeyValueList('P1')).toThrow();
  });

  it('reads global flags anywhere on the line, flags over environment', () => {
    const ctx = new CliContext({ IM_API_URL: 'http://env:1', IM_API_KEY: 'env-key' }, sink(), sink());
    let seen: unknown;
    const program = buildProgram(ctx);
    integrationGroup(program).command('probe').action((...args: unknown[]) => { seen = ctx.globals(args[args.length - 1] as Command); });
    program.parse(['node', 'im', 'integration', 'probe', '--org', 'acme-corp', '--format', 'json'], { from: 'node' });
    expect(seen).toEqual({ apiUrl: 'http://env:1', apiKey: 'env-key', org: 'acme-corp', format: 'json' });
    program.parse(['node', 'im', '--api-url', 'http://flag:2', 'integration', 'probe'], { from: 'node' });
    expect(seen).toMatchObject({ apiUrl: 'http://flag:2', format: 'table' });
  });

  it('lets other files add subcommands to `im integration` in any order', () => {
    const ctx = new CliContext({}, sink(), sink());
    const full = buildProgram(ctx);
    integrationGroup(full).command('probe-subcommand');
    const names = integrationGroup(full).commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['configure', 'list', 'get', 'delete', 'test', 'field-ownership', 'service-mapping', 'user-mapping', 'links', 'probe-subcommand']));
    expect(full.commands.filter((c) => c.name() === 'integration')).toHaveLength(1);
  });
});
