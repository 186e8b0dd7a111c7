// The web app's rate limiters (tRPC mutations per user, sign-in attempts per client address),
// one Redis connection per process. Limits come from the config file's `rateLimits`.
import { appConfig } from "../config/config";
import { redisUrl } from "../config/env";
import { createRateLimiter, type RateLimiter } from "./rate-limit";

const globalForLimits = globalThis as unknown as { usagePortalWebLimiter?: RateLimiter };

export function webRateLimiter(): RateLimiter {
  globalForLimits.usagePortalWebLimiter ??= createRateLimiter(redisUrl(), { prefix: "rl:web:" });
  return globalForLimits.usagePortalWebLimiter;
}

export interface MutationRateLimit {
  limiter: RateLimiter;
  perMinute: number;
}

export function mutationRateLimit(): MutationRateLimit {
  return { limiter: webRateLimiter(), perMinute: appConfig().raw.rateLimits.mutationsPerMinute };
}

/** Client address for per-address limits: the first X-Forwarded-For hop set by our proxy. */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
