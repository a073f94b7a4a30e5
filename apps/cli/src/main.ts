import { CliContext } from './cli-context';
import { buildProgram } from './program';

// The only place the CLI reads the environment.
const ctx = new CliContext({ IM_API_URL: process.env.IM_API_URL, IM_API_KEY: process.env.IM_API_KEY, IM_ORG: process.env.IM_ORG });

buildProgram(ctx)
  .parseAsync(process.argv)
  .catch((error: unknown) => ctx.fail(error));
