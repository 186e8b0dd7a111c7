// The Stripe SDK client. Real Stripe when STRIPE_SECRET_KEY is set and STRIPE_API_BASE is not; the
// local emulator (same SDK, other host) otherwise — the local demo and CI have no keys.
// Every network attempt is timed into `stripe_api_request_duration_seconds` by wrapping the SDK's
// HTTP client, which also sees timeouts and connection errors that the SDK's `response` event misses.
import Stripe from "stripe";
import { stripeRequestDurationSeconds } from "../lib/metrics";

/** The API version this code is written against; the SDK's types describe exactly this version. */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = "2026-10-28.endive";

export const EMULATOR_API_BASE = "http://localhost:12111";
export const EMULATOR_WEBHOOK_SECRET = "whsec_local_emulator_secret";
const EMULATOR_SECRET_KEY = "sk_test_emulator";

export interface StripeEnv {
  [name: string]: string | undefined;
  STRIPE_SECRET_KEY?: string;
  /** Base URL of a Stripe-compatible API (the emulator), e.g. http://localhost:12111. */
  STRIPE_API_BASE?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_TIMEOUT_MS?: string;
  STRIPE_MAX_NETWORK_RETRIES?: string;
}

export type StripeMode = "stripe" | "emulator";

export function stripeMode(env: StripeEnv = process.env): StripeMode {
  return env.STRIPE_SECRET_KEY && !env.STRIPE_API_BASE ? "stripe" : "emulator";
}

function positiveInt(text: string | undefined, fallback: number): number {
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** "/v1/billing/meter_events" → "billing.meter_events"; "/v1/customers/cus_1/..." → "customers". */
export function stripeResourceOf(path: string): string {
  const segments = path.split("?")[0]?.split("/").filter(Boolean) ?? [];
  const [version, first, second] = segments;
  if (version !== "v1" && version !== "v2") return "other";
  if (!first) return "other";
  const namespaces = new Set(["billing", "billing_portal", "checkout", "test_helpers", "radar", "tax", "terminal"]);
  return namespaces.has(first) && second ? `${first}.${second}` : first;
}

function outcomeOf(status: number): string {
  if (status < 400) return "ok";
  return status < 500 ? "client_error" : "server_error";
}

function instrumentedHttpClient(): Stripe.HttpClient {
  const inner = Stripe.createNodeHttpClient();
  return {
    getClientName: () => inner.getClientName(),
    async makeRequest(host, port, path, method, headers, requestData, protocol, timeout) {
      const resource = stripeResourceOf(path);
      const end = stripeRequestDurationSeconds.startTimer({ resource, method });
      try {
        const response = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
        end({ outcome: outcomeOf(response.getStatusCode()) });
        return response;
      } catch (error) {
        end({ outcome: "network_error" });
        throw error;
      }
    },
  };
}

export function createStripeClient(env: StripeEnv = process.env): Stripe {
  const config: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    timeout: positiveInt(env.STRIPE_TIMEOUT_MS, 15_000),
    // Retries reuse the request's Idempotency-Key, so a retried POST never acts twice.
    maxNetworkRetries: positiveInt(env.STRIPE_MAX_NETWORK_RETRIES, 2),
    httpClient: instrumentedHttpClient(),
    appInfo: { name: "workspace-usage-portal" },
  };
  if (stripeMode(env) === "stripe") return new Stripe(env.STRIPE_SECRET_KEY ?? "", config);
  // Empty values (a copied .env.example) count as unset.
  const base = new URL(env.STRIPE_API_BASE || EMULATOR_API_BASE);
  const protocol = base.protocol === "https:" ? "https" : "http";
  return new Stripe(env.STRIPE_SECRET_KEY || EMULATOR_SECRET_KEY, {
    ...config,
    host: base.hostname,
    port: base.port || (protocol === "https" ? 443 : 80),
    protocol,
  });
}

/** The signing secret webhooks are verified with; real Stripe mode refuses to run without one. */
export function stripeWebhookSecret(env: StripeEnv = process.env): string {
  if (env.STRIPE_WEBHOOK_SECRET) return env.STRIPE_WEBHOOK_SECRET;
  if (stripeMode(env) === "stripe") throw new Error("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is");
  return EMULATOR_WEBHOOK_SECRET;
}

const globalForStripe = globalThis as unknown as { usagePortalStripe?: Stripe };

/** The process-wide client from the environment. */
export function stripeClient(): Stripe {
  globalForStripe.usagePortalStripe ??= createStripeClient();
  return globalForStripe.usagePortalStripe;
}

/**
 * A Stripe `Idempotency-Key` from the operation and its business ids, e.g.
 * `idempotencyKey("customer.create", teamId)` → "customer.create:team_1". The same logical request
 * always carries the same key, so a retry (ours, the SDK's or a second replica's) is answered from
 * Stripe's idempotency cache instead of acting twice. Stripe caps keys at 255 characters.
 */
export function idempotencyKey(operation: string, ...ids: ReadonlyArray<string | number | bigint | Date>): string {
  const parts = ids.map((id) => (id instanceof Date ? id.toISOString() : String(id)));
  const key = [operation, ...parts].join(":");
  if (key.length > 255) throw new RangeError(`Idempotency key longer than 255 characters: ${key.slice(0, 80)}…`);
  return key;
}
