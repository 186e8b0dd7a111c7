import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { metricsRegistry } from "../lib/metrics";
import { createStripeClient, EMULATOR_WEBHOOK_SECRET, idempotencyKey, STRIPE_API_VERSION, stripeMode, stripeResourceOf, stripeWebhookSecret } from "./client";

describe("stripe client configuration", () => {
  it("talks to real Stripe only with a secret key and no API base", () => {
    expect(stripeMode({ STRIPE_SECRET_KEY: "sk_live_x" })).toBe("stripe");
    expect(stripeMode({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_API_BASE: "http://localhost:12111" })).toBe("emulator");
    expect(stripeMode({})).toBe("emulator");
    expect(stripeMode({ STRIPE_SECRET_KEY: "", STRIPE_API_BASE: "" })).toBe("emulator");
    expect(() => createStripeClient({ STRIPE_SECRET_KEY: "", STRIPE_API_BASE: "" })).not.toThrow();
  });

  it("requires a webhook secret with real Stripe and defaults to the emulator's otherwise", () => {
    expect(() => stripeWebhookSecret({ STRIPE_SECRET_KEY: "sk_live_x" })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(stripeWebhookSecret({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_1" })).toBe("whsec_1");
    expect(stripeWebhookSecret({})).toBe(EMULATOR_WEBHOOK_SECRET);
  });

  it("builds idempotency keys from the operation and business ids", () => {
    expect(idempotencyKey("customer.create", "team-1")).toBe("customer.create:team-1");
    expect(idempotencyKey("x", 3, 4n, new Date("2026-01-01T00:00:00Z"))).toBe("x:3:4:2026-01-01T00:00:00.000Z");
    expect(() => idempotencyKey("x", "y".repeat(300))).toThrow(RangeError);
  });

  it("names the resource of a request path for metrics", () => {
    expect(stripeResourceOf("/v1/customers")).toBe("customers");
    expect(stripeResourceOf("/v1/customers/cus_123")).toBe("customers");
    expect(stripeResourceOf("/v1/billing/meter_events")).toBe("billing.meter_events");
    expect(stripeResourceOf("/v1/billing_portal/sessions")).toBe("billing_portal.sessions");
    expect(stripeResourceOf("/v1/checkout/sessions/cs_1?expand[]=subscription")).toBe("checkout.sessions");
    expect(stripeResourceOf("/elsewhere")).toBe("other");
  });

  it("pins the API version, sends an Idempotency-Key on POSTs and times every request per resource and outcome", async () => {
    const seen: { version: string | undefined; key: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ version: req.headers["stripe-version"]?.toString(), key: req.headers["idempotency-key"]?.toString() });
      res.writeHead(req.url?.startsWith("/v1/customers/cus_missing") ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url?.startsWith("/v1/customers/cus_missing") ? { error: { type: "invalid_request_error", message: "No such customer" } } : { id: "cus_1", object: "customer" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const stripe = createStripeClient({ STRIPE_API_BASE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, STRIPE_MAX_NETWORK_RETRIES: "0" });
      await stripe.customers.create({ name: "T" }, { idempotencyKey: idempotencyKey("customer.create", "team-m") });
      await expect(stripe.customers.retrieve("cus_missing")).rejects.toThrow(/No such customer/);
      expect(seen).toEqual([
        { version: STRIPE_API_VERSION, key: "customer.create:team-m" },
        { version: STRIPE_API_VERSION, key: undefined },
      ]);
      const metrics = await metricsRegistry.getSingleMetricAsString("stripe_api_request_duration_seconds");
      expect(metrics).toMatch(/stripe_api_request_duration_seconds_count\{resource="customers",method="POST",outcome="ok"\} 1/);
      expect(metrics).toMatch(/stripe_api_request_duration_seconds_count\{resource="customers",method="GET",outcome="client_error"\} 1/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
