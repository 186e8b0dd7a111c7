// Clock-driven billing, payment failures, disputes and webhook delivery modes, through the real SDK.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { DeliveryAttempt } from "./index";
import { useEmulatorRig } from "./test-receiver";

const SECRET = "whsec_test_billing";
const rig = useEmulatorRig(SECRET, [5, 5, 5]);

async function emulatorNow(): Promise<number> {
  const clock = (await (await fetch(`${rig.emu.url}/_emulator/clock`)).json()) as { now: number };
  return clock.now;
}

/** A customer with an active subscription on the USD metered price, via the hosted checkout. */
async function subscribe(): Promise<{ customer: Stripe.Customer; subscription: Stripe.Subscription }> {
  const customer = await rig.stripe.customers.create({ email: "owner@example.com", metadata: { teamId: "team_1" } });
  const session = await rig.stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: "price_credits_usd" }],
    subscription_data: { metadata: { teamId: "team_1" } },
    success_url: "http://app.local/ok?session_id={CHECKOUT_SESSION_ID}",
  });
  await fetch(`${rig.emu.url}/checkout/${session.id}`, { method: "POST", body: "", redirect: "manual" });
  const done = await rig.stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
  const subscription = done.subscription;
  if (subscription === null || typeof subscription === "string") throw new Error("subscription should be expanded");
  await rig.emu.flushWebhooks();
  rig.receiver.received.length = 0;
  return { customer, subscription };
}

async function report(customer: string, value: number, identifier: string): Promise<void> {
  await rig.stripe.billing.meterEvents.create({
    event_name: "workspace_credits",
    payload: { stripe_customer_id: customer, value: String(value) },
    identifier,
  });
}

describe("period end", () => {
  it("invoices the period's meter total, pays it and rolls the period forward", async () => {
    const { customer, subscription } = await subscribe();
    await report(customer.id, 12_345, "u1");
    await report(customer.id, 5, "u2");
    const periodEnd = subscription.items.data[0]?.current_period_end ?? 0;

    const clock = (await rig.control("clock/advance", { toPeriodEndOf: subscription.id })) as { now: number };
    expect(clock.now).toBe(periodEnd);
    await rig.emu.flushWebhooks();

    const invoices = await rig.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(1);
    const invoice = invoices.data[0];
    if (!invoice) throw new Error("expected an invoice");
    expect(invoice.status).toBe("paid");
    expect(invoice.customer).toBe(customer.id);
    expect(invoice.currency).toBe("usd");
    expect(invoice.billing_reason).toBe("subscription_cycle");
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.parent?.subscription_details?.metadata).toEqual({ teamId: "team_1" });
    expect(invoice.period_start).toBe(subscription.items.data[0]?.current_period_start);
    expect(invoice.period_end).toBe(periodEnd);
    const line = invoice.lines.data[0];
    expect(line?.quantity).toBe(12_350);
    // 12,350 credit cents × 0.1 cents = 1,235 cents.
    expect(line?.amount).toBe(1_235);
    expect(invoice.total).toBe(1_235);
    expect(invoice.amount_paid).toBe(1_235);
    expect(invoice.number).toMatch(/-0001$/);

    const events = rig.receivedEvents();
    expect(events.map((e) => e.type)).toEqual([
      "invoice.created",
      "invoice.finalized",
      "charge.succeeded",
      "invoice.paid",
      "invoice.payment_succeeded",
      "customer.subscription.updated",
    ]);
    const created = events[0];
    if (created?.type !== "invoice.created") throw new Error("expected invoice.created");
    expect(created.data.object.status).toBe("draft");
    const finalized = events[1];
    if (finalized?.type !== "invoice.finalized") throw new Error("expected invoice.finalized");
    expect(finalized.data.object.status).toBe("open");
    expect(finalized.data.object.lines.data[0]?.quantity).toBe(12_350);
    const rolled = events[5];
    if (rolled?.type !== "customer.subscription.updated") throw new Error("expected customer.subscription.updated");
    expect(rolled.data.object.items.data[0]?.current_period_start).toBe(periodEnd);
    expect(rolled.data.object.latest_invoice).toBe(invoice.id);

    const after = await rig.stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(after.status).toBe("active");
    expect(after.items.data[0]?.current_period_start).toBe(periodEnd);
    expect(after.items.data[0]?.current_period_end).toBeGreaterThan(periodEnd + 27 * 86400);
    const latest = after.latest_invoice;
    if (latest === null || typeof latest === "string") throw new Error("latest_invoice should be expanded");
    expect(latest.id).toBe(invoice.id);

    // The next period starts empty: usage already invoiced is not billed again.
    await rig.control("clock/advance", { toPeriodEndOf: subscription.id });
    const second = await rig.stripe.invoices.list({ subscription: subscription.id });
    expect(second.data.map((i) => i.lines.data[0]?.quantity)).toEqual([0, 12_350]);
  });

  it("catches up every period when the clock jumps past several", async () => {
    const { subscription } = await subscribe();
    await rig.control("clock/advance", { seconds: 100 * 86400 });
    const invoices = await rig.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(3);
    const periods = invoices.data.map((i) => [i.period_start, i.period_end]).reverse();
    for (let k = 1; k < periods.length; k++) expect(periods[k]?.[0]).toBe(periods[k - 1]?.[1]);
  });

  it("ends a subscription set to cancel at period end after its final invoice", async () => {
    const { subscription } = await subscribe();
    const updated = await rig.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated.cancel_at_period_end).toBe(true);
    expect(updated.cancel_at).toBe(subscription.items.data[0]?.current_period_end);
    await rig.control("clock/advance", { toPeriodEndOf: subscription.id });
    await rig.emu.flushWebhooks();
    expect((await rig.stripe.subscriptions.retrieve(subscription.id)).status).toBe("canceled");
    const types = rig.receivedEvents().map((e) => e.type);
    expect(types[0]).toBe("customer.subscription.updated");
    expect(types.at(-1)).toBe("customer.subscription.deleted");
    expect(types).toContain("invoice.finalized");
  });
});

describe("payment failures", () => {
  it("fails the next payment: invoice.payment_failed, subscription past_due; paying recovers it", async () => {
    const { customer, subscription } = await subscribe();
    await report(customer.id, 1_000, "u1");
    await rig.control("payments/fail-next", { customer: customer.id });
    await rig.control("clock/advance", { toPeriodEndOf: subscription.id });
    await rig.emu.flushWebhooks();

    const types = rig.receivedEvents().map((e) => e.type);
    expect(types).toEqual([
      "invoice.created",
      "invoice.finalized",
      "charge.failed",
      "invoice.payment_failed",
      "customer.subscription.updated",
      "customer.subscription.updated",
    ]);
    const pastDue = rig.receivedEvents()[4];
    if (pastDue?.type !== "customer.subscription.updated") throw new Error("expected customer.subscription.updated");
    expect(pastDue.data.object.status).toBe("past_due");
    expect(pastDue.data.previous_attributes).toEqual({ status: "active" });

    const [invoice] = (await rig.stripe.invoices.list({ customer: customer.id, status: "open" })).data;
    if (!invoice) throw new Error("expected an open invoice");
    expect(invoice.attempt_count).toBe(1);
    expect(invoice.amount_remaining).toBe(100);
    expect((await rig.stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");

    expect(invoice.hosted_invoice_url).toBe(`${rig.emu.url}/invoices/${invoice.id}`);
    const page = await (await fetch(`${rig.emu.url}/invoices/${invoice.id}`)).text();
    expect(page).toContain(`<form method="post" action="/invoices/${invoice.id}/pay"><button type="submit">Pay invoice</button></form>`);

    rig.receiver.received.length = 0;
    await rig.control(`invoices/${invoice.id}/pay`);
    await rig.emu.flushWebhooks();
    expect(rig.receivedEvents().map((e) => e.type)).toEqual([
      "charge.succeeded",
      "invoice.paid",
      "invoice.payment_succeeded",
      "customer.subscription.updated",
    ]);
    expect((await rig.stripe.invoices.retrieve(invoice.id)).status).toBe("paid");
    expect((await rig.stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
  });

  it("pays an open invoice through the API (invoices.pay) and refuses to pay it twice", async () => {
    const { customer, subscription } = await subscribe();
    await report(customer.id, 2_000, "u1");
    await rig.control("payments/fail-next", {});
    await rig.control("clock/advance", { toPeriodEndOf: subscription.id });
    const [open] = (await rig.stripe.invoices.list({ subscription: subscription.id, status: "open" })).data;
    if (!open) throw new Error("expected an open invoice");

    await rig.control("payments/fail-next", { customer: customer.id });
    const declined = await rig.stripe.invoices.pay(open.id).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);

    const paid = await rig.stripe.invoices.pay(open.id);
    expect(paid.status).toBe("paid");
    expect(paid.amount_paid).toBe(200);
    expect(paid.attempt_count).toBe(3);
    const again = await rig.stripe.invoices.pay(open.id).catch((e: unknown) => e);
    if (!(again instanceof Stripe.errors.StripeError)) throw new Error("expected a Stripe error");
    expect(again.statusCode).toBe(400);
  });
});

describe("disputes", () => {
  it("opens a dispute on the customer's charge, reachable from the dispute", async () => {
    const { customer, subscription } = await subscribe();
    await report(customer.id, 10_000, "u1");
    await rig.control("clock/advance", { toPeriodEndOf: subscription.id });
    await rig.emu.flushWebhooks();
    rig.receiver.received.length = 0;

    const dispute = (await rig.control("disputes", { customer: customer.id })) as { id: string; charge: string };
    await rig.emu.flushWebhooks();
    const [event] = rig.receivedEvents();
    if (event?.type !== "charge.dispute.created") throw new Error("expected charge.dispute.created");
    expect(event.data.object.id).toBe(dispute.id);
    expect(event.data.object.status).toBe("needs_response");
    expect(event.data.object.amount).toBe(1_000);
    const chargeId = event.data.object.charge;
    if (typeof chargeId !== "string") throw new Error("expected a charge id");
    const charge = await rig.stripe.charges.retrieve(chargeId);
    expect(charge.customer).toBe(customer.id);
    expect(charge.disputed).toBe(true);
    expect((await rig.stripe.disputes.retrieve(dispute.id)).charge).toBe(chargeId);
  });
});

describe("webhook delivery", () => {
  it("signs every delivery so the SDK's constructEvent accepts it, and rejects tampering", async () => {
    await rig.stripe.customers.create({ email: "x@example.com" });
    await rig.emu.flushWebhooks();
    const [delivery] = rig.receiver.received;
    if (!delivery) throw new Error("expected a delivery");
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(rig.stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET).type).toBe("customer.created");
    expect(() => rig.stripe.webhooks.constructEvent(delivery.body.replace("x@example.com", "y@example.com"), delivery.signature, SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => rig.stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("holds events, then delivers them reversed and duplicated on flush", async () => {
    await rig.control("webhooks/mode", { hold: true, duplicates: 2, order: "reverse" });
    const a = await rig.stripe.customers.create({ email: "a@example.com" });
    const b = await rig.stripe.customers.create({ email: "b@example.com" });
    expect(rig.receiver.received).toHaveLength(0);

    await rig.control("webhooks/flush");
    const objects = rig.receivedEvents().map((e) => (e.type === "customer.created" ? e.data.object.id : e.type));
    expect(objects).toEqual([b.id, a.id, b.id, a.id]);
    const ids = rig.receivedEvents().map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("retries a delivery the receiver answered with 500 until it gets a 2xx", async () => {
    rig.receiver.script.push(500, 503);
    const customer = await rig.stripe.customers.create({});
    await rig.emu.flushWebhooks();
    const res = await fetch(`${rig.emu.url}/_emulator/webhooks/deliveries`);
    const { deliveries } = (await res.json()) as { deliveries: DeliveryAttempt[] };
    expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    const events = rig.receivedEvents();
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    const last = events[2];
    if (last?.type !== "customer.created") throw new Error("expected customer.created");
    expect(last.data.object.id).toBe(customer.id);
  });

  it("lists and retrieves the emitted events through the API", async () => {
    const { subscription } = await subscribe();
    const listed = await rig.stripe.events.list({ type: "customer.subscription.*" });
    expect(listed.data.map((e) => e.type)).toEqual(["customer.subscription.created"]);
    const event = listed.data[0];
    if (event?.type !== "customer.subscription.created") throw new Error("expected customer.subscription.created");
    expect(event.data.object.id).toBe(subscription.id);
    expect((await rig.stripe.events.retrieve(event.id)).id).toBe(event.id);
  });

  it("reset wipes the account but keeps the bootstrap catalog and returns the clock to now", async () => {
    await subscribe();
    await rig.control("clock/advance", { seconds: 86400 * 3 });
    const before = Math.floor(Date.now() / 1000);
    await rig.control("reset");
    expect((await rig.stripe.customers.list()).data).toHaveLength(0);
    expect((await rig.stripe.prices.retrieve("price_credits_usd")).id).toBe("price_credits_usd");
    const now = await emulatorNow();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThan(before + 86400);
  });
});
