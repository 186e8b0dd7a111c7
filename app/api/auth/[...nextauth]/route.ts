import { handlers } from "@/server/auth/config";
import { appConfig } from "@/server/config/config";
import { clientAddress, webRateLimiter } from "@/server/lib/web-rate-limits";

export const { GET } = handlers;

/** Sign-in attempts (every POST to Auth.js) are limited per client address (SPEC §7). */
export async function POST(request: Parameters<typeof handlers.POST>[0]) {
  const perMinute = appConfig().raw.rateLimits.signInPerMinute;
  const decision = await webRateLimiter().hit(`signin:${clientAddress(request.headers)}`, perMinute, 60);
  if (!decision.allowed) {
    return Response.json(
      { error: { code: "RATE_LIMITED", message: `Too many sign-in attempts. Try again in ${decision.retryAfterSeconds} s.` } },
      { status: 429, headers: { "Retry-After": String(decision.retryAfterSeconds) } },
    );
  }
  return handlers.POST(request);
}
