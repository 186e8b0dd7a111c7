// The whole billing life of a team through the real Stripe SDK against the emulator, with its
// webhooks signed and POSTed to the real webhook route and processed as the stripe-event job would:
// free → upgrade via Checkout → usage reported → period end → invoice → INVOICE entry and new cycle
// → payment fails → PAST_DUE → paid → ACTIVE → dispute → BLOCKED → subscription deleted → FREE.
// Run twice: webhooks in order (the success page before the webhook), then every webhook three
// times and in reverse order (the webhook before the success page). Both must end identical.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../testing/db";
import { fulfilCheckout, startUpgradeCheckout } from "./checkout";
import { queueUsageReports, sendPendingMeterReports } from "./meter-reports";
import { addUsage, completeCheckoutPage, createTeam, useBillingHarness } from "./test-harness";

const t = useTestDatabase();
const h = useBillingHarness(t);

type Delivery = "in-order" | "x3-reversed";

interface LifeSnapshot {
  ledger: { kind: string; key: string; creditCents: string }[];
  costCenter: {
    billingStrategy: string;
    status: string;
    balanceCents: string;
    spendingLimitCents: string;
    freeSpendingLimitCents: string;
    currency: string | null;
  };
  invoices: { status: string; creditCents: string; amountDue: string; attempted: boolean }[];
  subscriptionStatus: string | undefined;
  notifications: string[];
  reports: string[];
}

async function costCenterOf(costCenterId: string) {
  return t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } });
}

async function snapshot(teamId: string, costCenterId: string): Promise<LifeSnapshot> {
  const entries = await t.db.usageEntry.findMany({ where: { costCenterId }, orderBy: { id: "asc" } });
  const cc = await costCenterOf(costCenterId);
  const invoices = await t.db.stripeInvoice.findMany({ where: { teamId }, orderBy: { periodStart: "asc" } });
  const subscription = await t.db.stripeSubscription.findFirst({ where: { teamId } });
  const notifications = await t.db.notification.findMany({ where: { teamId } });
  const reports = await t.db.meterReport.findMany({ where: { costCenterId }, orderBy: { id: "asc" } });
  return {
    // Stripe ids differ between runs; the key's shape does not.
    ledger: entries.map((e) => ({ kind: e.kind, key: (e.idempotencyKey ?? "instance").split(":")[0] ?? "", creditCents: e.creditCents.toString() })),
    costCenter: {
      billingStrategy: cc.billingStrategy,
      status: cc.status,
      balanceCents: cc.balanceCents.toString(),
      spendingLimitCents: cc.spendingLimitCents.toString(),
      freeSpendingLimitCents: cc.freeSpendingLimitCents.toString(),
      currency: cc.currency,
    },
    invoices: invoices.map((i) => ({ status: i.status, creditCents: i.creditCents.toString(), amountDue: i.amountDue.toString(), attempted: i.attempted })),
    subscriptionStatus: subscription?.status,
    notifications: notifications.map((n) => n.kind),
    reports: reports.map((r) => `${r.status}:${r.value}`),
  };
}

/** Sends usage to the meter as the sync job does, then moves a minute on (a new report window). */
async function reportUsage(): Promise<number> {
  const queued = await queueUsageReports(h.deps);
  const sent = await sendPendingMeterReports(h.deps);
  expect(sent.failed).toBe(0);
  await h.control("clock/advance", { seconds: 60 });
  await h.syncClock();
  return queued;
}

async function periodEnd(subscriptionId: string): Promise<void> {
  await h.control("clock/advance", { toPeriodEndOf: subscriptionId });
  await h.syncClock();
  await h.deliver();
}

async function runWholeLife(delivery: Delivery): Promise<{ teamId: string; costCenterId: string }> {
  await h.control("reset", {});
  await h.control("webhooks/mode", delivery === "in-order" ? { duplicates: 1, order: "normal", hold: true } : { duplicates: 3, order: "reverse", hold: true });
  await h.syncClock();
  const { teamId, costCenterId } = await createTeam(h, `Life ${delivery}`);
  const free = await costCenterOf(costCenterId);
  expect(free.billingStrategy).toBe("FREE");

  // Free usage, then the upgrade.
  await addUsage(h, costCenterId, 1234n);
  const { url } = await startUpgradeCheckout(h.deps, { teamId, currency: "usd", userId: "user-owner", appUrl: "http://localhost:3000" });
  const success = await completeCheckoutPage(url);
  expect(success.pathname).toBe(`/teams/${teamId}/billing/success`);
  const sessionId = success.searchParams.get("session_id") ?? "";
  expect(sessionId).toMatch(/^cs_/);
  if (delivery === "in-order") {
    expect(await fulfilCheckout(h.deps, sessionId)).toMatchObject({ status: "fulfilled", teamId });
    await h.deliver();
  } else {
    await h.deliver();
    expect(await fulfilCheckout(h.deps, sessionId)).toMatchObject({ status: "fulfilled", teamId });
  }
  const subscription = await t.db.stripeSubscription.findFirstOrThrow({ where: { teamId } });
  const paid = await costCenterOf(costCenterId);
  expect(paid).toMatchObject({ billingStrategy: "STRIPE", status: "ACTIVE", balanceCents: 0n, currency: "usd", freeSpendingLimitCents: free.spendingLimitCents });
  expect(paid.billingCycleStart).toEqual(subscription.currentPeriodStart);
  expect(paid.nextBillingTime).toEqual(subscription.currentPeriodEnd);

  // Usage reported in two windows, then the period ends: invoiced, paid, next cycle.
  await addUsage(h, costCenterId, 700n);
  expect(await reportUsage()).toBe(1);
  await addUsage(h, costCenterId, 300n);
  expect(await reportUsage()).toBe(1);
  expect(await reportUsage()).toBe(0);
  const firstPeriodEnd = subscription.currentPeriodEnd;
  await periodEnd(subscription.id);
  const afterFirst = await costCenterOf(costCenterId);
  expect(afterFirst).toMatchObject({ status: "ACTIVE", balanceCents: 0n });
  expect(afterFirst.billingCycleStart).toEqual(firstPeriodEnd);
  expect(afterFirst.nextBillingTime.getTime()).toBeGreaterThan(firstPeriodEnd.getTime());
  const firstInvoice = await t.db.stripeInvoice.findFirstOrThrow({ where: { teamId, periodEnd: firstPeriodEnd } });
  expect(firstInvoice).toMatchObject({ status: "paid", creditCents: 1000n, amountDue: 100n });
  const entry = await t.db.usageEntry.findUniqueOrThrow({ where: { idempotencyKey: `invoice:${firstInvoice.id}` } });
  expect(entry).toMatchObject({ kind: "INVOICE", creditCents: -1000n });

  // The next payment fails: PAST_DUE (still invoiced); paid later: ACTIVE.
  await addUsage(h, costCenterId, 500n);
  expect(await reportUsage()).toBe(1);
  const customer = await t.db.stripeCustomer.findUniqueOrThrow({ where: { teamId } });
  await h.control("payments/fail-next", { customer: customer.stripeCustomerId });
  await periodEnd(subscription.id);
  const pastDue = await costCenterOf(costCenterId);
  expect(pastDue).toMatchObject({ status: "PAST_DUE", balanceCents: 0n });
  const failed = await t.db.stripeInvoice.findFirstOrThrow({ where: { teamId, status: "open" } });
  expect(failed).toMatchObject({ attempted: true, creditCents: 500n });
  expect(pastDue.pastDueSince).toEqual(failed.finalizedAt);
  await h.control(`invoices/${failed.id}/pay`, {});
  await h.deliver();
  expect(await costCenterOf(costCenterId)).toMatchObject({ status: "ACTIVE", pastDueSince: null });

  // A dispute blocks the team and notifies the owners once.
  await h.control("disputes", { customer: customer.stripeCustomerId });
  await h.deliver();
  expect(await costCenterOf(costCenterId)).toMatchObject({ status: "BLOCKED" });

  // The subscription is deleted: back to FREE with the previous free limit; the block stays.
  await h.stripe.subscriptions.cancel(subscription.id);
  await h.deliver();
  const end = await costCenterOf(costCenterId);
  const ended = await t.db.stripeSubscription.findUniqueOrThrow({ where: { id: subscription.id } });
  expect(end).toMatchObject({ billingStrategy: "FREE", status: "BLOCKED", spendingLimitCents: free.freeSpendingLimitCents });
  expect(end.billingCycleStart).toEqual(ended.endedAt);
  return { teamId, costCenterId };
}

const expected: LifeSnapshot = {
  ledger: [
    { kind: "WORKSPACE", key: "instance", creditCents: "1234" },
    { kind: "CYCLE_RESET", key: "upgrade", creditCents: "-1234" },
    { kind: "WORKSPACE", key: "instance", creditCents: "700" },
    { kind: "WORKSPACE", key: "instance", creditCents: "300" },
    { kind: "INVOICE", key: "invoice", creditCents: "-1000" },
    { kind: "WORKSPACE", key: "instance", creditCents: "500" },
    { kind: "INVOICE", key: "invoice", creditCents: "-500" },
  ],
  costCenter: {
    billingStrategy: "FREE",
    status: "BLOCKED",
    balanceCents: "0",
    spendingLimitCents: "50000",
    freeSpendingLimitCents: "50000",
    currency: "usd",
  },
  invoices: [
    { status: "paid", creditCents: "1000", amountDue: "100", attempted: true },
    { status: "paid", creditCents: "500", amountDue: "50", attempted: true },
  ],
  subscriptionStatus: "canceled",
  notifications: ["billing.dispute"],
  reports: ["SENT:700", "SENT:300", "SENT:500"],
};

describe("the whole billing life of a team", () => {
  it("runs with webhooks in order, the success page before the webhook", async () => {
    const { teamId, costCenterId } = await runWholeLife("in-order");
    expect(await snapshot(teamId, costCenterId)).toEqual(expected);
  });

  it("ends identical with every webhook delivered three times in reverse order, the webhook before the success page", async () => {
    const { teamId, costCenterId } = await runWholeLife("x3-reversed");
    expect(await snapshot(teamId, costCenterId)).toEqual(expected);
    const team = await t.db.stripeEvent.count({ where: { processedAt: null } });
    expect(team).toBe(0);
  });
});
