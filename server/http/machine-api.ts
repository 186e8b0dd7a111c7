// The one wrapper every /api/v1 route handler goes through, in this order:
// bootstrap key → API key (401) → scope (403) → per-key rate limit (429) → handler, with every
// error turned into the spec's JSON shape (PostgreSQL unreachable → 503 + Retry-After).
// Body checks (415, 413, 400) happen in `readJsonBody`, called by handlers that take a body —
// after authentication, so unauthenticated clients never make us read a megabyte.
import { authenticateApiKey, ensureBootstrapApiKey, hashApiKey, type ApiKeyPrincipal, type ApiKeyScope } from "../services/api-keys";
import { logger as defaultLogger, type Logger } from "../lib/logger";
import { machineApiDeps, type MachineApiDeps } from "./deps";
import { errorResponse, HttpError, NO_STORE, toErrorResponse } from "./errors";

export interface MachineApiContext<P> {
  request: Request;
  params: P;
  principal: ApiKeyPrincipal;
  deps: MachineApiDeps;
}

type RouteContext<P> = { params: Promise<P> };

const RATE_LIMIT_WINDOW_SECONDS = 60;

const bootstrapped = new WeakMap<MachineApiDeps, Promise<void>>();

async function ensureBootstrap(deps: MachineApiDeps): Promise<void> {
  const key = deps.bootstrapApiKey;
  if (!key) return;
  let pending = bootstrapped.get(deps);
  if (!pending) {
    pending = ensureBootstrapApiKey(deps.db, key);
    bootstrapped.set(deps, pending);
    // A failure (database down) is retried on the next request instead of being remembered.
    pending.catch(() => bootstrapped.delete(deps));
  }
  await pending;
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export function withMachineApi<P = Record<string, never>>(
  options: { scope: ApiKeyScope },
  handler: (ctx: MachineApiContext<P>) => Promise<Response>,
): (request: Request, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    let log: Logger = defaultLogger;
    try {
      // Inside the try: a broken config file is a JSON 500 too, not an HTML page.
      const deps = machineApiDeps();
      log = deps.logger;
      await ensureBootstrap(deps);
      const token = bearerToken(request);
      if (!token) {
        throw new HttpError(401, "UNAUTHENTICATED", "Missing API key: send `Authorization: Bearer <api key>`.", undefined, {
          "WWW-Authenticate": 'Bearer realm="api"',
        });
      }
      // The key lookup (PostgreSQL) and the rate-limit count (Redis) run side by side: one round
      // trip less on every spending check. The window is per key, counted under the key's hash.
      const limit = deps.config.raw.rateLimits.machineApiPerMinute;
      const [principal, decision] = await Promise.all([
        authenticateApiKey(deps.db, token, deps.clock),
        deps.rateLimiter.hit(`key:${hashApiKey(token)}`, limit, RATE_LIMIT_WINDOW_SECONDS),
      ]);
      if (!principal) {
        throw new HttpError(401, "UNAUTHENTICATED", "The API key is unknown or revoked.", undefined, {
          "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"',
        });
      }
      if (!principal.scopes.includes(options.scope)) {
        throw new HttpError(403, "FORBIDDEN", `This API key lacks the "${options.scope}" scope.`, { requiredScope: options.scope, scopes: principal.scopes });
      }
      if (!decision.allowed) {
        throw new HttpError(
          429,
          "RATE_LIMITED",
          `Rate limit of ${limit} requests per minute exceeded for this API key; retry after ${decision.retryAfterSeconds} s.`,
          { limit, windowSeconds: RATE_LIMIT_WINDOW_SECONDS, retryAfterSeconds: decision.retryAfterSeconds },
          { "Retry-After": String(decision.retryAfterSeconds) },
        );
      }
      const params = await context.params;
      return await handler({ request, params, principal, deps });
    } catch (error) {
      return toErrorResponse(error, log);
    }
  };
}

/** A JSON success response (never cached). */
export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": NO_STORE } });
}

/** A JSON 405 for the methods a route does not serve (Next's own 405 has no body). */
export function methodNotAllowed(...allowed: string[]): (request: Request) => Response {
  return (request) =>
    errorResponse(405, "METHOD_NOT_ALLOWED", `${request.method} is not supported here; use ${allowed.join(" or ")}.`, undefined, { Allow: allowed.join(", ") });
}
