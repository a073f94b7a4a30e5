import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppError } from './app-error';

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Turns untrusted plain data into a validated instance of `cls`, or throws an AppError
 * (VALIDATION_FAILED) naming the first offending field and listing all of them.
 * Unknown properties are rejected so typos never pass silently.
 */
export function validatePayload<T extends object>(cls: new () => T, plain: unknown, code: 'VALIDATION_FAILED' | 'MALFORMED_MESSAGE' = 'VALIDATION_FAILED'): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new AppError(code, 'expected a JSON object');
  }
  const instance = plainToInstance(cls, plain);
  const problems = flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }));
  const first = problems[0];
  if (first) {
    throw new AppError(code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), first.field, problems);
  }
  return instance;
}
