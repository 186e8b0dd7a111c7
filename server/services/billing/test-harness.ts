// Test support for the billing integration tests: the Stripe emulator in-process, the real webhook
// route behind node:http (so the emulator signs and POSTs to it like Stripe would), the real SDK
// pointed at the emulator, and a clock that follows the emulator's clock (meter event timestamps and
// invoice periods are emulator time).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type Stripe from "stripe";
import { loadConfigFile, type AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { logger } from "../../lib/logger";
import { startEmulator, type RunningEmulator } from "../../stripe/emulator";
import { createStripeClient } from "../../stripe/client";
import { handleStripeWebhook, setStripeWebhookDeps, type StripeWebhookDeps } from "../../stripe/webhook";
import type { TestDatabase } from "../../testing/db";
import { startRouteServer, type TestServer } from "../../testing/http";
import { provisionTeam } from "../teams/provision";
import type { BillingDeps } from "./deps";
import { processStripeEvent } from "./events";

export const WEBHOOK_SECRET = "whsec_billing_test_secret";

export interface BillingHarness {
  emulator: RunningEmulator;
  server: TestServer;
  webhookUrl: string;
  stripe: Stripe;
  config: AppConfig;
  deps: BillingDeps;
  /** Event ids the webhook route enqueued, in arrival order (until `drain` takes them). */
  queued: string[];
  /** POST/GET a `/_emulator/...` control endpoint. */
  control(path: string, body?: unknown): Promise<unknown>;
  /** Makes the app clock follow the emulator's again after its clock moved. */
  syncClock(): Promise<void>;
  /** Delivers held webhooks, waits for them, then processes every event the route enqueued. */
  deliver(): Promise<string[]>;
  /** Processes the queued events (as the stripe-event job would), in arrival order. */
  drain(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startBillingHarness(db: Db, opts: { enqueue?: (eventId: string) => Promise<void> } = {}): Promise<BillingHarness> {
  const config = loadConfigFile("usage.config.example.json");
  // What app/api/stripe/webhook/route.ts exports (server/ never imports app/).
  const webhookRoute = { POST: (request: Request) => handleStripeWebhook(request) };
  const server = await startRouteServer([{ path: "/api/stripe/webhook", module: webhookRoute }]);
  const webhookUrl = `${server.url}/api/stripe/webhook`;
  const emulator = await startEmulator({ port: 0, webhookUrl, webhookSecret: WEBHOOK_SECRET, webhookRetryDelaysMs: [] });
  const stripe = createStripeClient({ STRIPE_API_BASE: emulator.url, STRIPE_MAX_NETWORK_RETRIES: "0" });
  // The emulator's clock is real time plus an offset that its control endpoints move.
  let offsetMs = 0;
  const deps: BillingDeps = { db, stripe, clock: { now: () => new Date(Date.now() + offsetMs) }, config, logger };
  const queued: string[] = [];
  const webhookDeps: StripeWebhookDeps = {
    db,
    secret: WEBHOOK_SECRET,
    logger,
    enqueue:
      opts.enqueue ??
      (async (eventId) => {
        queued.push(eventId);
      }),
  };
  setStripeWebhookDeps(webhookDeps);

  async function control(path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${emulator.url}/_emulator/${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  async function syncClock(): Promise<void> {
    const clock = (await control("clock")) as { offsetSeconds: number };
    offsetMs = clock.offsetSeconds * 1000;
  }

  async function drain(): Promise<string[]> {
    const results: string[] = [];
    while (queued.length > 0) {
      const id = queued.shift();
      if (id === undefined) break;
      const outcome = await processStripeEvent(deps, id);
      results.push(outcome.status === "processed" ? `${outcome.eventType}:${outcome.result}` : outcome.status);
    }
    return results;
  }

  await syncClock();
  return {
    emulator,
    server,
    webhookUrl,
    stripe,
    config,
    deps,
    queued,
    control,
    syncClock,
    drain,
    async deliver() {
      await emulator.flushWebhooks();
      return drain();
    },
    async close() {
      setStripeWebhookDeps(undefined);
      await emulator.close();
      await server.close();
    },
  };
}

/** A FREE team with its cost center, created at the harness clock's now. */
/** Registers beforeAll/afterAll hooks around the file's test database; filled in before the first test. */
export function useBillingHarness(t: TestDatabase): BillingHarness {
  const holder = {} as BillingHarness;
  beforeAll(async () => {
    Object.assign(holder, await startBillingHarness(t.db));
  });
  afterAll(async () => {
    await holder.close();
  });
  return holder;
}

export async function createTeam(h: BillingHarness, name = "Team"): Promise<{ teamId: string; costCenterId: string }> {
  const teamId = `team-${randomUUID().slice(0, 8)}`;
  const { team } = await provisionTeam({ db: h.deps.db, clock: h.deps.clock, config: h.config }, teamId, { name }, { kind: "SYSTEM", id: null });
  return { teamId, costCenterId: team.costCenter.id };
}

/** A final WORKSPACE entry and its balance change, as the ledger job would write them. */
export async function addUsage(h: BillingHarness, costCenterId: string, creditCents: bigint): Promise<void> {
  const at = h.deps.clock.now();
  const instanceId = `inst-${randomUUID()}`;
  await h.deps.db.$transaction([
    h.deps.db.$executeRaw`
      INSERT INTO "UsageEntry" ("costCenterId", kind, "instanceId", "creditCents", draft, "effectiveAt", "workspaceClass", "startedAt", "stoppedAt")
      VALUES (${costCenterId}, 'WORKSPACE'::"UsageEntryKind", ${instanceId}, ${creditCents}, false, ${at}, 'g1-standard', ${at}, ${at})`,
    h.deps.db.$executeRaw`UPDATE "CostCenter" SET "balanceCents" = "balanceCents" + ${creditCents} WHERE id = ${costCenterId}`,
  ]);
}

/** Submits the emulator's hosted checkout page like a browser would; returns the success URL. */
export async function completeCheckoutPage(checkoutUrl: string, email = "owner@example.com"): Promise<URL> {
  const res = await fetch(checkoutUrl, { method: "POST", body: new URLSearchParams({ email }), redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`checkout page answered ${res.status}`);
  return new URL(location);
}
