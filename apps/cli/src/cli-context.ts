import { Command, Option } from 'commander';
import { ApiHttp } from './api-http';
import { CliError } from './cli-error';
import { Output, OutputFormat, Writer } from './output';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** The options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  apiUrl: string;
  apiKey?: string;
  org?: string;
  format: OutputFormat;
}

/** What an action gets: the API client, the printer, its positional args and its own options. */
export interface CommandIo<O> {
  api: ApiHttp;
  out: Output;
  global: GlobalOptions;
  /** Declared positional arguments in order (`processedArgs`). */
  args: string[];
  opts: O;
  command: Command;
}

export interface CliEnvironment {
  IM_API_URL?: string;
  IM_API_KEY?: string;
  IM_ORG?: string;
}

/**
 * Shared by every command group. Built once in main.ts from the environment (the only
 * place the CLI reads it) and handed to each `register<Group>Commands(parent, ctx)`.
 */
export class CliContext {
  constructor(
    private readonly env: CliEnvironment,
    readonly stdout: Writer = process.stdout,
    readonly stderr: Writer = process.stderr,
  ) {}

  /** Declares the global flags on the root program. */
  addGlobalOptions(program: Command): Command {
    return program
      .option('--api-url <url>', `API base URL (env IM_API_URL, default ${DEFAULT_API_URL})`)
      .option('--api-key <key>', 'API key (env IM_API_KEY)')
      .option('--org <organization>', 'organization to act on; needed with the admin key (env IM_ORG)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
  }

  globals(command: Command): GlobalOptions {
    const all = command.optsWithGlobals<{ apiUrl?: string; apiKey?: string; org?: string; format?: OutputFormat }>();
    return {
      apiUrl: all.apiUrl ?? this.env.IM_API_URL ?? DEFAULT_API_URL,
      apiKey: all.apiKey ?? this.env.IM_API_KEY,
      org: all.org ?? this.env.IM_ORG,
      format: all.format === 'json' ? 'json' : 'table',
    };
  }

  /**
   * Wraps a command handler: builds the API client and printer from the global options and
   * turns any failure into `error: <one line>` on stderr with exit code 1.
   *   .action(ctx.action<{ owner: string }>(async ({ api, out, args, opts }) => { ... }))
   */
  action<O extends object = Record<string, unknown>>(handler: (io: CommandIo<O>) => Promise<void>): (...commanderArgs: unknown[]) => Promise<void> {
    return async (...commanderArgs: unknown[]) => {
      const command = commanderArgs[commanderArgs.length - 1] as Command;
      const global = this.globals(command);
      try {
        await handler({
          api: new ApiHttp({ apiUrl: global.apiUrl, apiKey: global.apiKey, organizationId: global.org }),
          out: new Output(global.format, this.stdout),
          global,
          args: command.processedArgs as string[],
          opts: command.opts<O>(),
          command,
        });
      } catch (error) {
        this.fail(error);
      }
    };
  }

  /** Prints one line and sets a failing exit code (the process ends when output is flushed). */
  fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.stderr.write(`error: ${message.split('\n')[0] ?? message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
