import { CliContext } from './cli-context';
import { buildProgram } from './program';

// The only place the CLI reads the environment.
const ctx = new CliContext({ IM_API_URL: process.env.IM_API_URL, IM_API_KEY: process.env.IM_API_KEY, IM_ORG: process.env.IM_ORG });

// `im dlq list | head`: the reader closed the pipe; stop quietly, as Unix tools do, instead of
// printing an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

buildProgram(ctx)
  .parseAsync(process.argv)
  .catch((error: unknown) => ctx.fail(error));
