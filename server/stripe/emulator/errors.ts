// Stripe's error shape: `{ "error": { "type", "message", "param"?, "code"? } }` with Stripe's statuses.
export type StripeErrorType =
  | "invalid_request_error"
  | "api_error"
  | "card_error"
  | "idempotency_error";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly extra: { param?: string; code?: string; decline_code?: string } = {},
  ) {
    super(message);
  }

  toBody(): { error: Record<string, string> } {
    return { error: { type: this.type, message: this.message, ...this.extra } };
  }
}

export function missingParam(param: string): ApiError {
  return new ApiError(400, "invalid_request_error", `Missing required param: ${param}.`, {
    param,
    code: "parameter_missing",
  });
}

export function invalidParam(param: string, message: string): ApiError {
  return new ApiError(400, "invalid_request_error", message, { param, code: "parameter_invalid_string" });
}

export function noSuchResource(kind: string, id: string, param = "id"): ApiError {
  return new ApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, {
    param,
    code: "resource_missing",
  });
}
