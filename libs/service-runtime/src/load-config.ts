import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * The only reader of process.env (CONVENTIONS §7): turns the environment into a validated,
 * typed config object and fails fast at boot naming EVERY bad variable at once.
 * Values of variables are never printed, since some are secrets.
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const config = plainToInstance(cls, { ...env }, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.property}: ${Object.values(e.constraints ?? { invalid: 'is invalid' }).join('; ')}`);
    throw new Error(`Invalid configuration (${errors.length} variable(s)):\n${lines.join('\n')}`);
  }
  return config;
}
