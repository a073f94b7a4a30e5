/**
 * A PagerDuty REST error: HTTP status + `{"error":{"message","code","errors"?}}`
 * (developer-docs REST-API/14-Errors, FACTS §2.5). Thrown by the simulator's handlers and
 * rendered by PdErrorFilter; the body is what real clients parse.
 */
export class PdError extends Error {
  constructor(readonly status: number, readonly code: number, message: string, readonly errors?: string[]) {
    super(message);
  }

  body(): { error: { message: string; code: number; errors?: string[] } } {
    return { error: { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) } };
  }

  static invalidInput(...errors: string[]): PdError {
    return new PdError(400, 2001, 'Invalid Input Provided', errors);
  }

  static notFound(what = 'Not Found'): PdError {
    return new PdError(404, 2100, what);
  }

  static unauthorized(): PdError {
    return new PdError(401, 2006, 'Authentication failed');
  }

  /** 402: the account's plan lacks the ability (FACTS §2.4, §2.5: code 2014). */
  static missingAbility(ability: string): PdError {
    return new PdError(402, 2014, 'Missing Account Ability', [`The account does not have the ${ability} ability`]);
  }

  static rateLimited(): PdError {
    return new PdError(429, 2020, 'Rate Limit Exceeded');
  }

  /** Missing `From` on a write with an account-level key (pdpyras#78, FACTS §2.1). */
  static fromRequired(): PdError {
    return new PdError(400, 2001, 'You must specify a user\'s email address in the "From" header to perform this action');
  }

  /** Malformed `From` (go-pagerduty#336, FACTS §2.1). */
  static fromMalformed(): PdError {
    return new PdError(400, 1028, 'Malformed "From" header');
  }

  static requesterNotFound(): PdError {
    return new PdError(400, 1008, 'Requester User Not Found');
  }

  static incidentNotFound(): PdError {
    return new PdError(404, 5001, 'Incident Not Found');
  }
}
