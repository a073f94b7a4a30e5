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
    return super.transform(value, metadata);
  }
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
