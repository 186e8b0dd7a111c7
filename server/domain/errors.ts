// Typed domain errors. Services throw these; one mapping per transport (tRPC, REST) turns the code
// into a status and shows the message to the user. Anything else is a 5xx whose details are logged.
export const domainErrorStatus = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type DomainErrorCode = keyof typeof domainErrorStatus;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Which field and why, for input errors: e.g. [{ field: "spendingLimit", reason: "must be ≥ 0" }]. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
