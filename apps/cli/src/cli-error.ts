/**
 * A failure the CLI reports as one line on stderr (`error: <message>`) with exit code 1.
 * Commands throw it; nothing else prints errors, so scripts get one predictable shape.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}
