/**
 * Error codes shared by every edge. Each code says whether retrying can help; HTTP edges
 * map a code to a status (see `httpStatusOf`), consumers map it to retry-vs-DLQ.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, retryable: false },
  MALFORMED_MESSAGE: { status: 400, retryable: false },
  UNAUTHENTICATED: { status: 401, retryable: false },
  INVALID_SIGNATURE: { status: 401, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  CONFLICT: { status: 409, retryable: false },
  VERSION_CONFLICT: { status: 409, retryable: false },
  ILLEGAL_TRANSITION: { status: 400, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  RATE_LIMITED: { status: 429, retryable: true },
  /** The integration is paused (disabled): its messages wait for it to be enabled again. */
  INTEGRATION_PAUSED: { status: 409, retryable: true },
  UPSTREAM_PERMANENT: { status: 502, retryable: false },
  UPSTREAM_UNAVAILABLE: { status: 503, retryable: true },
  DEPENDENCY_UNAVAILABLE: { status: 503, retryable: true },
  INTERNAL: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: unknown };
}

export class AppError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
    retryable?: boolean,
  ) {
    super(message);
    this.name = 'AppError';
    this.retryable = retryable ?? ERROR_CODES[code].retryable;
  }

  static validation(field: string, message: string): AppError {
    return new AppError('VALIDATION_FAILED', message, field);
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** Unknown errors (driver, network) count as retryable: a bounded retry then DLQ loses nothing. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : true;
}
