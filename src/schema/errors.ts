/**
 * Expected, user-facing failures. Fields list the classes they may throw; the Pothos errors
 * plugin turns them into typed union members, so clients get a message and a stable code
 * instead of a masked "Unexpected error".
 */
export abstract class UserFacingError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends UserFacingError {
  readonly code = "VALIDATION_FAILED";
  constructor(
    /** Argument or input field that failed, e.g. `email`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class EmailTakenError extends UserFacingError {
  readonly code = "EMAIL_TAKEN";
  constructor() {
    super("An account with this email already exists");
  }
}

export class InvalidCredentialsError extends UserFacingError {
  readonly code = "INVALID_CREDENTIALS";
  constructor() {
    super("Email or password is incorrect");
  }
}

export class TooManySignInAttemptsError extends UserFacingError {
  readonly code = "TOO_MANY_ATTEMPTS";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many wrong passwords for this email: try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`);
  }
}
