// The machine API's one error shape (SPEC §5): `{ "error": { "code", "message", "details"? } }`
// with the matching HTTP status. Services throw DomainError; transport problems (body too large,
// wrong content type, database down) are HttpError. Anything else is a 500 whose details are
// logged, never sent.
import { DomainError, domainErrorStatus } from "../domain/errors";
import type { Logger } from "../lib/logger";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

// `no-transform` also keeps Next's built-in gzip off these small JSON answers (it compresses every
// streamed response, however small): CPU spent on the hot spending-check path for nothing.
export const NO_STORE = "no-store, no-transform";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorResponse(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return Response.json(body, { status, headers: { "Cache-Control": NO_STORE, ...headers } });
}

/** Seconds a client should wait before retrying when PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Connection-level failures of node-postgres / the Prisma pg adapter: the database is down or
// unreachable, not the request wrong. Matched on error codes anywhere in the cause chain.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "EPIPE",
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "DatabaseNotReachable",
  "DatabaseUnreachable",
  "ConnectionClosed",
  "SocketTimeout",
]);

const CONNECTION_MESSAGES = /Connection terminated|connect ECONNREFUSED|Can't reach database server|timeout exceeded when trying to connect|Connection refused/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const key of ["code", "errorCode", "kind"]) {
      const value = record[key];
      if (typeof value === "string" && CONNECTION_CODES.has(value)) return true;
    }
    const cause = record.cause;
    if (cause && typeof cause === "object") {
      const originalCode = (cause as Record<string, unknown>).originalCode;
      if (typeof originalCode === "string" && CONNECTION_CODES.has(originalCode)) return true;
    }
    if (typeof record.message === "string" && CONNECTION_MESSAGES.test(record.message)) return true;
    if (Array.isArray(record.errors) && record.errors.some((e) => isDatabaseUnavailable(e))) return true;
    current = record.cause;
  }
  return false;
}

/** Turns anything thrown by a handler into the spec's error response. */
export function toErrorResponse(error: unknown, log: Logger): Response {
  if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, error.details, error.headers);
  if (error instanceof DomainError) {
    const status = domainErrorStatus[error.code];
    const headers: Record<string, string> = status === 503 ? { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) } : {};
    return errorResponse(status, error.code, error.message, error.details, headers);
  }
  if (isDatabaseUnavailable(error)) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, "machine API: database unavailable");
    return errorResponse(503, "UNAVAILABLE", "The database is unavailable; retry later.", undefined, {
      "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
    });
  }
  log.error({ err: error }, "machine API: unexpected error");
  return errorResponse(500, "INTERNAL", "Internal error; it has been logged.");
}
