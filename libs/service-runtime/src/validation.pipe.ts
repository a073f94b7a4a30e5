import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';

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

/** Request bodies and queries become DTO instances or a 400 that names the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'body', message: 'is invalid' };
      return AppError.validation(problem.field, problem.message.startsWith(problem.field) ? problem.message : `${problem.field}: ${problem.message}`);
    },
  });
}
