// The emulator through the real `stripe` SDK: wire format, errors, idempotency, checkout, meters.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { useEmulatorRig } from "./test-receiver";

const SECRET = "whsec_test_api";
const rig = useEmulatorRig(SECRET, [5, 5]);

describe("customers and wire format", () => {
  it("creates, retrieves, updates (emitting customer.updated), lists and searches customers", async () => {
    const created = await rig.stripe.customers.create({ email: "owner@example.com", name: "Acme", metadata: { teamId: "team_1" } });
    expect(created.id).toMatch(/^cus_/);
    expect(created.object).toBe("customer");
    expect(created.metadata).toEqual({ teamId: "team_1" });
    expect(created.livemode).toBe(false);

    const fetched = await rig.stripe.customers.retrieve(created.id);
    expect(fetched).toEqual(created);

    const updated = await rig.stripe.customers.update(created.id, { email: "billing@example.com", metadata: { plan: "pro" } });
    expect(updated.email).toBe("billing@example.com");
    expect(updated.metadata).toEqual({ teamId: "team_1", plan: "pro" });

    const byEmail = await rig.stripe.customers.list({ email: "billing@example.com" });
    expect(byEmail.data.map((c) => c.id)).toEqual([created.id]);
    const search = await rig.stripe.customers.search({ query: "metadata['teamId']:'team_1'" });
    expect(search.data.map((c) => c.id)).toEqual([created.id]);

    await rig.emu.flushWebhooks();
    const events = rig.receivedEvents();
    expect(events.map((e) => e.type)).toEqual(["customer.created", "customer.updated"]);
    const update = events[1];
    if (update?.type !== "customer.updated") throw new Error("expected customer.updated");
    expect(update.data.object.email).toBe("billing@example.com");
    expect(update.data.previous_attributes).toEqual({ email: "owner@example.com", metadata: { teamId: "team_1" } });
    expect(update.api_version).toBe("2026-10-28.endive");
    expect(update.request?.id).toMatch(/^req_/);
  });

  it("answers Stripe-shaped errors with Stripe's status codes", async () => {
    const missing = await rig.stripe.customers.retrieve("cus_missing").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    if (!(missing instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("resource_missing");
    expect(missing.param).toBe("id");
    expect(missing.message).toBe("No such customer: 'cus_missing'");

    const badKey = new Stripe("pk_test_wrong", { host: "localhost", port: rig.emu.port, protocol: "http", maxNetworkRetries: 0 });
    const unauthorized = await badKey.customers.list().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);

    const raw = await fetch(`${rig.emu.url}/v1/customers`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ error: { type: "invalid_request_error", message: expect.stringContaining("API key") } });

    const badParam = await rig.stripe.checkout.sessions
      .create({ mode: "subscription", line_items: [{ price: "price_credits_usd" }] })
      .catch((e: unknown) => e);
    if (!(badParam instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(badParam.statusCode).toBe(400);
    expect(badParam.param).toBe("success_url");
    expect(badParam.code).toBe("parameter_missing");
  });

  it("replays a response for the same Idempotency-Key and body, and rejects a different body", async () => {
    const first = await rig.stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: "create-a" });
    const again = await rig.stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: "create-a" });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await rig.stripe.customers.list()).data).toHaveLength(1);

    const mismatch = await rig.stripe.customers.create({ email: "b@example.com" }, { idempotencyKey: "create-a" }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    if (!(mismatch instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(mismatch.statusCode).toBe(400);
  });

  it("serves the bootstrap catalog: meter, product and metered prices", async () => {
    const meters = await rig.stripe.billing.meters.list();
    expect(meters.data).toHaveLength(1);
    const meter = meters.data[0];
    expect(meter?.id).toBe("mtr_workspace_credits");
    expect(meter?.event_name).toBe("workspace_credits");
    expect(meter?.default_aggregation.formula).toBe("sum");
    expect(meter?.customer_mapping.event_payload_key).toBe("stripe_customer_id");
    expect(meter?.value_settings.event_payload_key).toBe("value");

    const eur = await rig.stripe.prices.retrieve("price_credits_eur");
    expect(eur.currency).toBe("eur");
    expect(eur.product).toBe("prod_workspace_credits");
    expect(eur.recurring).toMatchObject({ interval: "month", usage_type: "metered", meter: "mtr_workspace_credits" });
    expect(eur.unit_amount_decimal?.toString()).toBe("0.1");

    const byLookup = await rig.stripe.prices.list({ lookup_keys: ["workspace_credits_usd"] });
    expect(byLookup.data.map((p) => p.id)).toEqual(["price_credits_usd"]);
    const product = await rig.stripe.products.retrieve("prod_workspace_credits");
    expect(product.name).toBe("Workspace credits");
  });
});

describe("hosted checkout", () => {
  async function createSession(customer: string): Promise<Stripe.Checkout.Session> {
    return rig.stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      line_items: [{ price: "price_credits_eur" }],
      client_reference_id: "team_7",
      subscription_data: { metadata: { teamId: "team_7" } },
      metadata: { teamId: "team_7" },
      success_url: "http://app.local/billing/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.local/billing",
    });
  }

  it("completes through the HTML form, redirects to success_url and creates an active subscription", async () => {
    const customer = await rig.stripe.customers.create({ email: "owner@example.com" });
    const session = await createSession(customer.id);
    expect(session.status).toBe("open");
    expect(session.url).toBe(`${rig.emu.url}/checkout/${session.id}`);

    const page = await fetch(`${rig.emu.url}/checkout/${session.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="/checkout/${session.id}">`);
    expect(html).toContain('value="owner@example.com"');
    expect(html).toContain('<button type="submit">Subscribe</button>');
    expect(html).toContain(`<a href="/checkout/${session.id}/cancel">Cancel</a>`);

    const submit = await fetch(`${rig.emu.url}/checkout/${session.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=owner%40example.com",
      redirect: "manual",
    });
    expect(submit.status).toBe(303);
    expect(submit.headers.get("location")).toBe(`http://app.local/billing/success?session_id=${session.id}`);

    const done = await rig.stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    expect(done.status).toBe("complete");
    expect(done.customer).toBe(customer.id);
    const sub = done.subscription;
    if (sub === null || typeof sub === "string") throw new Error("subscription should be expanded");
    expect(sub.status).toBe("active");
    expect(sub.customer).toBe(customer.id);
    expect(sub.metadata).toEqual({ teamId: "team_7" });
    expect(sub.currency).toBe("eur");
    const item = sub.items.data[0];
    expect(item?.price.id).toBe("price_credits_eur");
    const start = new Date((item?.current_period_start ?? 0) * 1000);
    const end = new Date((item?.current_period_end ?? 0) * 1000);
    const expectedEnd = new Date(start);
    expectedEnd.setUTCDate(1);
    expectedEnd.setUTCMonth(start.getUTCMonth() + 1);
    const lastDay = new Date(Date.UTC(expectedEnd.getUTCFullYear(), expectedEnd.getUTCMonth() + 1, 0)).getUTCDate();
    expectedEnd.setUTCDate(Math.min(start.getUTCDate(), lastDay));
    expect(end.toISOString()).toBe(expectedEnd.toISOString());

    // A second submit (double click, back button) does not subscribe twice.
    const resubmit = await fetch(`${rig.emu.url}/checkout/${session.id}`, { method: "POST", body: "", redirect: "manual" });
    expect(resubmit.status).toBe(303);
    expect((await rig.stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(1);

    await rig.emu.flushWebhooks();
    const events = rig.receivedEvents();
    expect(events.map((e) => e.type)).toEqual(["customer.created", "customer.subscription.created", "checkout.session.completed"]);
    const completed = events[2];
    if (completed?.type !== "checkout.session.completed") throw new Error("expected checkout.session.completed");
    expect(completed.data.object.subscription).toBe(sub.id);
    expect(completed.data.object.client_reference_id).toBe("team_7");
    expect(completed.data.object.metadata).toEqual({ teamId: "team_7" });
  });

  it("creates the customer from the form's email when the session has none, and cancels back to cancel_url", async () => {
    const session = await rig.stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: "price_credits_usd" }],
      success_url: "http://app.local/ok",
      cancel_url: "http://app.local/cancelled",
    });
    const cancel = await fetch(`${rig.emu.url}/checkout/${session.id}/cancel`, { redirect: "manual" });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe("http://app.local/cancelled");

    await fetch(`${rig.emu.url}/checkout/${session.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=new%40example.com",
      redirect: "manual",
    });
    const done = await rig.stripe.checkout.sessions.retrieve(session.id, { expand: ["customer"] });
    const customer = done.customer;
    if (customer === null || typeof customer === "string" || customer.deleted) throw new Error("customer should be expanded");
    expect(customer.email).toBe("new@example.com");
  });

  it("shows the subscription in the portal and cancels it from there", async () => {
    const customer = await rig.stripe.customers.create({ email: "owner@example.com" });
    const session = await createSession(customer.id);
    await fetch(`${rig.emu.url}/checkout/${session.id}`, { method: "POST", body: "", redirect: "manual" });
    const subId = (await rig.stripe.checkout.sessions.retrieve(session.id)).subscription;
    if (typeof subId !== "string") throw new Error("expected a subscription id");

    const portal = await rig.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://app.local/billing" });
    expect(portal.url).toBe(`${rig.emu.url}/portal/${portal.id}`);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain(`action="/portal/${portal.id}/subscriptions/${subId}/cancel"`);
    expect(html).toContain("Cancel subscription");
    expect(html).toContain('<a href="http://app.local/billing">Return</a>');

    const cancel = await fetch(`${rig.emu.url}/portal/${portal.id}/subscriptions/${subId}/cancel`, { method: "POST", redirect: "manual" });
    expect(cancel.status).toBe(303);
    expect((await rig.stripe.subscriptions.retrieve(subId)).status).toBe("canceled");
    await rig.emu.flushWebhooks();
    expect(rig.receivedEvents().map((e) => e.type)).toContain("customer.subscription.deleted");
  });
});

describe("billing meters", () => {
  it("sums events per customer and window, dedups identifiers and enforces the timestamp window", async () => {
    const a = await rig.stripe.customers.create({});
    const b = await rig.stripe.customers.create({});
    const clock = (await (await fetch(`${rig.emu.url}/_emulator/clock`)).json()) as { now: number };
    const now = clock.now;
    const send = (customer: string, value: number, identifier: string, timestamp = now - 60) =>
      rig.stripe.billing.meterEvents.create({
        event_name: "workspace_credits",
        payload: { stripe_customer_id: customer, value: String(value) },
        identifier,
        timestamp,
      });

    const first = await send(a.id, 1500, "usage:a:1");
    expect(first).toMatchObject({ object: "billing.meter_event", identifier: "usage:a:1", event_name: "workspace_credits" });
    await send(a.id, 250, "usage:a:2", now - 3600);
    await send(b.id, 999, "usage:b:1");

    const duplicate = await send(a.id, 1500, "usage:a:1").catch((e: unknown) => e);
    if (!(duplicate instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.code).toBe("resource_already_exists");

    const tooOld = await send(a.id, 1, "usage:a:old", now - 36 * 24 * 3600).catch((e: unknown) => e);
    if (!(tooOld instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.param).toBe("timestamp");
    const future = await send(a.id, 1, "usage:a:future", now + 600).catch((e: unknown) => e);
    if (!(future instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(future.param).toBe("timestamp");

    const window = { customer: a.id, start_time: now - 7200, end_time: now };
    const summaries = await rig.stripe.billing.meters.listEventSummaries("mtr_workspace_credits", window);
    expect(summaries.data.map((s) => s.aggregated_value)).toEqual([1750]);
    const recent = await rig.stripe.billing.meters.listEventSummaries("mtr_workspace_credits", { ...window, start_time: now - 1800 });
    expect(recent.data.map((s) => s.aggregated_value)).toEqual([1500]);
    const other = await rig.stripe.billing.meters.listEventSummaries("mtr_workspace_credits", { ...window, customer: b.id });
    expect(other.data.map((s) => s.aggregated_value)).toEqual([999]);
  });
});
