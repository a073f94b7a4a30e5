import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { findUnsafeInput } from './unsafe-input';

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } | undefined {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const message = Object.values(e.constraints ?? {})[0];
    if (message) return { field, message };
    const nested = firstProblem(e.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Before any DTO: NUL characters, lone surrogates, prototype-pollution keys and absurd
 * nesting in a body, query string or path parameter answer 400 naming the field (the JSON
 * parser checks bodies too; query strings and params only come through here).
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = findUnsafeInput(value, metadata.data ?? '');
      if (problem) {
        const field = problem.field === 'body' && metadata.type !== 'body' ? metadata.type : problem.field;
        throw AppError.validation(field, problem.message.replace(/^body\b/, field));
      }
    }
    // A DTO is an object: `[]`, `null`, `"x"` or `1` as a body is refused, not read as "no fields".
    if (metadata.type === 'body' && value !== undefined && isDtoClass(metadata.metatype) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw AppError.validation('body', 'the body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

const NOT_DTOS: ReadonlySet<unknown> = new Set([Object, Array, String, Number, Boolean]);
function isDtoClass(metatype: unknown): boolean {
  return typeof metatype === 'function' && !NOT_DTOS.has(metatype);
}

/** Request bodies and queries become DTO instances or a 400 that names the field. */
export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'body', message: 'is invalid' };
      return AppError.validation(problem.field, problem.message.startsWith(problem.field) ? problem.message : `${problem.field}: ${problem.message}`);
    },
  });
}

/**
 * A PATCH that names nothing to change (no body, `{}`, or only control keys such as
 * `version`) is a mistake, not a no-op: 400 naming the body, and nothing is written (no new
 * version, no change event).
 */
export function requireSomeChange(dto: object | undefined, controlKeys: readonly string[] = []): void {
  const named = dto === undefined ? [] : Object.entries(dto).filter(([key, value]) => value !== undefined && !controlKeys.includes(key));
  if (named.length === 0) throw AppError.validation('body', 'the body names no field to change');
}
