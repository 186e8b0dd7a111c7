// POST /api/stripe/webhook over real HTTP: signature checks (nothing stored on a 400), unknown types
// acknowledged and ignored, redeliveries, Redis down (still 2xx, the event waits in PostgreSQL),
// PostgreSQL down (503), and the queue path: the emulator's webhooks → the route → BullMQ → the
// stripe-event job (through the worker's runner) → the team upgraded.
import { randomBytes } from "node:crypto";
import { Worker } from "bullmq";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisConnectionOptions } from "../config/env";
import { closeDb, createDb } from "../db/client";
import { logger } from "../lib/logger";
import { createJobProducer, type JobProducer } from "../queue/producer";
import { queueName } from "../queue/jobs";
import { processUnprocessedEvents } from "../services/billing/events";
import { completeCheckoutPage, createTeam, useBillingHarness, WEBHOOK_SECRET } from "../services/billing/test-harness";
import { startUpgradeCheckout } from "../services/billing/checkout";
import { useTestDatabase } from "../testing/db";
import { runJob } from "../../worker/runner";
import { setStripeWebhookDeps, stripeWebhookDeps } from "./webhook";

const t = useTestDatabase();
const h = useBillingHarness(t);

function eventJson(type: string, objectId = "obj_1", id = `evt_test_${randomBytes(6).toString("hex")}`): { id: string; body: string } {
  const body = JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: objectId, object: "thing" } },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  return { id, body };
}

function post(body: string, signature: string | null): Promise<Response> {
  return fetch(h.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature === null ? {} : { "stripe-signature": signature }) },
    body,
  });
}

function sign(body: string, opts: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret: opts.secret ?? WEBHOOK_SECRET, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) });
}

describe("webhook signature and acknowledgement", () => {
  it("answers 400 to a bad signature, a tampered body and a missing header, and stores nothing", async () => {
    const { id, body } = eventJson("invoice.paid");
    const wrongSecret = await post(body, sign(body, { secret: "whsec_not_ours" }));
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: { code: "INVALID_SIGNATURE" } });
    const tampered = await post(body.replace("invoice.paid", "invoice.voided"), sign(body));
    expect(tampered.status).toBe(400);
    expect((await post(body, null)).status).toBe(400);
    expect(await t.db.stripeEvent.count({ where: { id } })).toBe(0);
    expect(h.queued).toEqual([]);
  });

  it("answers 400 to a signature whose timestamp is outside the 5-minute tolerance", async () => {
    const { id, body } = eventJson("invoice.paid");
    const res = await post(body, sign(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/tolerance/i);
    expect(await t.db.stripeEvent.count({ where: { id } })).toBe(0);
  });

  it("acknowledges an unknown event type with 200, stores it as processed and queues nothing", async () => {
    const { id, body } = eventJson("made_up.event_type");
    const res = await post(body, sign(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false, handled: false, queued: false });
    const row = await t.db.stripeEvent.findUniqueOrThrow({ where: { id } });
    expect(row.type).toBe("made_up.event_type");
    expect(row.processedAt).not.toBeNull();
    expect(h.queued).toEqual([]);
  });

  it("stores a redelivered event once and queues it again while it is unprocessed", async () => {
    const { id, body } = eventJson("invoice.paid");
    const first = await post(body, sign(body));
    const second = await post(body, sign(body));
    expect(await first.json()).toMatchObject({ duplicate: false, handled: true, queued: true });
    expect(await second.json()).toMatchObject({ duplicate: true, handled: true, queued: true });
    expect(await t.db.stripeEvent.count({ where: { id } })).toBe(1);
    expect(h.queued.splice(0)).toEqual([id, id]);
    await t.db.stripeEvent.update({ where: { id }, data: { processedAt: new Date() } });
    expect(await (await post(body, sign(body))).json()).toMatchObject({ duplicate: true, queued: false });
    expect(h.queued).toEqual([]);
  });
});

describe("webhook when a dependency is down", () => {
  it("still answers 200 when Redis is unreachable; the stored event is processed by the sync path later", async () => {
    const deadRedis = createJobProducer({ redisUrl: "redis://127.0.0.1:1", timeoutMs: 500 });
    const previous = stripeWebhookDeps();
    setStripeWebhookDeps({ ...previous, enqueue: (eventId) => deadRedis.enqueue("stripe-event", { eventId }, { jobId: eventId }) });
    try {
      const customer = await h.stripe.customers.create({ name: "No team" });
      const { id, body } = eventJson("customer.updated", customer.id);
      const res = await post(body, sign(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ duplicate: false, handled: true, queued: false });
      expect((await t.db.stripeEvent.findUniqueOrThrow({ where: { id } })).processedAt).toBeNull();
      // What the stripe-sync job does with events whose job never ran.
      expect(await processUnprocessedEvents(h.deps, new Date(Date.now() + 60_000))).toEqual({ processed: 1, failed: 0 });
      expect((await t.db.stripeEvent.findUniqueOrThrow({ where: { id } })).processedAt).not.toBeNull();
    } finally {
      setStripeWebhookDeps(previous);
      await deadRedis.close();
    }
  });

  it("answers 503 when PostgreSQL is unreachable, so Stripe retries", async () => {
    const deadDb = createDb("postgresql://postgres@127.0.0.1:1/nowhere", 1);
    const previous = stripeWebhookDeps();
    setStripeWebhookDeps({ ...previous, db: deadDb });
    try {
      const { body } = eventJson("invoice.paid");
      const res = await post(body, sign(body));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: "UNAVAILABLE" } });
    } finally {
      setStripeWebhookDeps(previous);
      await closeDb(deadDb);
    }
  });
});

describe("the queue path", () => {
  const prefix = `test-stripe-webhook-${randomBytes(4).toString("hex")}`;
  let producer: JobProducer;
  let worker: Worker;
  const listeners = new Set<() => void>();

  beforeAll(async () => {
    producer = createJobProducer({ prefix });
    worker = new Worker(
      queueName("stripe-event"),
      async (job) => {
        const result = await runJob({ db: t.db, config: h.config, clock: h.deps.clock, logger, stripe: h.stripe }, "stripe-event", job.data, "event");
        return { runId: result.runId.toString(), counts: result.counts };
      },
      { connection: redisConnectionOptions(), prefix },
    );
    worker.on("completed", () => listeners.forEach((l) => l()));
    worker.on("failed", () => listeners.forEach((l) => l()));
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker.close();
    await producer.close();
  });

  /** Resolves once `done` holds, re-checked after every job the worker finishes (no polling). */
  function whenJobsSettle(done: () => Promise<boolean>): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        done().then((ok) => {
          if (!ok) return;
          listeners.delete(check);
          resolve();
        }, reject);
      };
      listeners.add(check);
      check();
    });
  }

  it("upgrades a team from the emulator's webhooks through BullMQ and the stripe-event job", async () => {
    const previous = stripeWebhookDeps();
    setStripeWebhookDeps({ ...previous, enqueue: (eventId) => producer.enqueue("stripe-event", { eventId }, { jobId: eventId }) });
    try {
      await h.control("webhooks/mode", { duplicates: 1, order: "normal", hold: false });
      const { teamId, costCenterId } = await createTeam(h, "Queued");
      const { url } = await startUpgradeCheckout(h.deps, { teamId, currency: "eur", userId: "user-q", appUrl: "http://localhost:3000" });
      await completeCheckoutPage(url);
      await h.emulator.flushWebhooks();
      const handledTypes = ["checkout.session.completed", "customer.subscription.created"];
      await whenJobsSettle(async () => (await t.db.stripeEvent.count({ where: { type: { in: handledTypes }, processedAt: null } })) === 0);
      expect(await t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } })).toMatchObject({ billingStrategy: "STRIPE", currency: "eur" });
      const runs = await t.db.jobRun.findMany({ where: { job: "stripe-event" } });
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.every((r) => r.outcome === "SUCCEEDED" && r.trigger === "event")).toBe(true);
      expect(h.queued).toEqual([]);
    } finally {
      setStripeWebhookDeps(previous);
    }
  });
});
