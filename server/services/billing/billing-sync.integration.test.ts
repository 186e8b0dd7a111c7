// The stripe-sync job's repairs through the SDK and the emulator: lost webhooks (the team upgraded,
// the period closed and nobody told us) and meter reports that failed to send; plus the outbox's
// once-in-effect guarantees.
import { describe, expect, it } from "vitest";
import { createStripeClient } from "../../stripe/client";
import { useTestDatabase } from "../../testing/db";
import { startUpgradeCheckout } from "./checkout";
import { MAX_REPORT_ATTEMPTS, queueUsageReports, sendPendingMeterReports } from "./meter-reports";
import { syncStripe } from "./sync";
import { addUsage, completeCheckoutPage, createTeam, useBillingHarness } from "./test-harness";

const t = useTestDatabase();
const h = useBillingHarness(t);

/** A team upgraded through Checkout while every webhook is held back (as if lost). */
async function upgradeWithoutWebhooks(currency: "usd" | "eur" = "usd") {
  await h.control("webhooks/mode", { duplicates: 1, order: "normal", hold: true });
  const team = await createTeam(h, "Sync");
  const { url } = await startUpgradeCheckout(h.deps, { teamId: team.teamId, currency, userId: "user-sync", appUrl: "http://localhost:3000" });
  await completeCheckoutPage(url);
  return team;
}

describe("stripe-sync repairs what lost webhooks left stale", () => {
  it("finds the subscription, the finalized invoice without its INVOICE entry, and sends the usage", async () => {
    await h.control("reset", {});
    await h.syncClock();
    const { teamId, costCenterId } = await upgradeWithoutWebhooks();
    expect((await t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } })).billingStrategy).toBe("FREE");

    // First run: the subscription is found and applied; nothing to report yet.
    const first = await syncStripe(h.deps);
    expect(first).toMatchObject({ subscriptionsApplied: 1, reportsQueued: 0, errors: 0 });
    const subscription = await t.db.stripeSubscription.findFirstOrThrow({ where: { teamId } });
    expect(await t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } })).toMatchObject({ billingStrategy: "STRIPE", currency: "usd" });

    // Usage is reported by the next run, then the period closes with its webhooks lost too.
    await addUsage(h, costCenterId, 4200n);
    expect(await syncStripe(h.deps)).toMatchObject({ reportsQueued: 1, reportsSent: 1 });
    await h.control("clock/advance", { toPeriodEndOf: subscription.id });
    await h.syncClock();
    const repaired = await syncStripe(h.deps);
    expect(repaired).toMatchObject({ invoicesRepaired: 1, errors: 0 });
    const invoice = await t.db.stripeInvoice.findFirstOrThrow({ where: { teamId } });
    expect(invoice).toMatchObject({ status: "paid", creditCents: 4200n });
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { idempotencyKey: `invoice:${invoice.id}` } })).toMatchObject({ creditCents: -4200n });
    const cc = await t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } });
    expect(cc.balanceCents).toBe(0n);
    expect(cc.billingCycleStart).toEqual(subscription.currentPeriodEnd);

    // A second run changes nothing, and the lost webhooks arriving late change nothing either.
    expect(await syncStripe(h.deps)).toMatchObject({ subscriptionsApplied: 1, invoicesRepaired: 0, reportsQueued: 0 });
    const entriesBefore = await t.db.usageEntry.count({ where: { costCenterId } });
    await h.deliver();
    expect(await t.db.usageEntry.count({ where: { costCenterId } })).toBe(entriesBefore);
    expect((await t.db.costCenter.findUniqueOrThrow({ where: { id: costCenterId } })).balanceCents).toBe(0n);
  });
});

describe("the meter report outbox", () => {
  it("keeps a report that failed to send and sends it on a later run, exactly once", async () => {
    await h.control("reset", {});
    await h.syncClock();
    const { teamId, costCenterId } = await upgradeWithoutWebhooks("eur");
    await h.deliver();
    await addUsage(h, costCenterId, 900n);
    expect(await queueUsageReports(h.deps)).toBe(1);
    // Queued twice in the same minute (two replicas): still one report.
    expect(await queueUsageReports(h.deps)).toBe(0);

    const unreachable = createStripeClient({ STRIPE_API_BASE: "http://127.0.0.1:1", STRIPE_MAX_NETWORK_RETRIES: "0" });
    expect(await sendPendingMeterReports({ ...h.deps, stripe: unreachable })).toEqual({ sent: 0, failed: 1 });
    const failed = await t.db.meterReport.findFirstOrThrow({ where: { costCenterId } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.lastError).not.toBeNull();

    expect(await sendPendingMeterReports(h.deps)).toEqual({ sent: 1, failed: 0 });
    expect(await t.db.meterReport.findFirstOrThrow({ where: { costCenterId } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });

    // Sent but the answer was lost: a resend with the same identifier counts as sent, not twice.
    await t.db.meterReport.updateMany({ where: { costCenterId }, data: { status: "PENDING" } });
    expect(await sendPendingMeterReports(h.deps)).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingMeterReports(h.deps)).toEqual({ sent: 0, failed: 0 });

    // What Stripe bills for the period is the one report.
    const subscription = await t.db.stripeSubscription.findFirstOrThrow({ where: { teamId } });
    await h.control("clock/advance", { toPeriodEndOf: subscription.id });
    await h.syncClock();
    await h.deliver();
    expect(await t.db.stripeInvoice.findFirstOrThrow({ where: { subscriptionId: subscription.id } })).toMatchObject({ creditCents: 900n, currency: "eur" });
  });

  it("sends a report older than Stripe's 35-day window at the oldest accepted time, and gives up after the attempt limit", async () => {
    await h.control("reset", {});
    await h.syncClock();
    const { teamId, costCenterId } = await upgradeWithoutWebhooks();
    await h.deliver();
    const mapping = await t.db.stripeCustomer.findUniqueOrThrow({ where: { teamId } });
    const now = h.deps.clock.now();
    await t.db.meterReport.createMany({
      data: [
        {
          costCenterId,
          stripeCustomerId: mapping.stripeCustomerId,
          identifier: `usage:${costCenterId}:old`,
          eventName: h.config.raw.stripe.meterEventName,
          value: 10n,
          timestamp: new Date(now.getTime() - 40 * 24 * 3600_000),
        },
        {
          costCenterId,
          stripeCustomerId: mapping.stripeCustomerId,
          identifier: `usage:${costCenterId}:hopeless`,
          eventName: h.config.raw.stripe.meterEventName,
          value: 10n,
          timestamp: now,
          status: "FAILED",
          attempts: MAX_REPORT_ATTEMPTS,
        },
      ],
    });
    expect(await sendPendingMeterReports(h.deps)).toEqual({ sent: 1, failed: 0 });
    expect(await t.db.meterReport.findFirstOrThrow({ where: { identifier: `usage:${costCenterId}:hopeless` } })).toMatchObject({ status: "FAILED" });
  });
});
