import { Command } from 'commander';
import { CliContext } from './cli-context';
import { COMMAND_GROUPS } from './commands';

/** The whole `im` command tree; tests build it with their own context and writers. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('im')
    .description('incident-sync command line: integrations, sync state, dead letters')
    .version('0.1.0', '-V, --version')
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });
  ctx.addGlobalOptions(program);
  for (const register of COMMAND_GROUPS) register(program, ctx);
  return program;
}
