// The demo's paying team, billed through the Stripe emulator exactly as production bills through
// Stripe: the team upgrades through Checkout (checkout session from the app's service, the
// emulator's hosted page submitted as a browser would, the app's idempotent fulfilment) with the
// emulator's clock a month back; its last month of workspaces is then reported to the billing
// meter, and the emulator closes the period — invoice finalized and paid, webhooks to the app,
// the worker writes the INVOICE entry and starts the next cycle.
import { appConfig } from "../server/config/config";
import type { Db } from "../server/db/client";
import { fixedClock, systemClock } from "../server/lib/clock";
import { logger } from "../server/lib/logger";
import { fulfilCheckout, startUpgradeCheckout } from "../server/services/billing/checkout";
import { queueUsageReports, sendPendingMeterReports } from "../server/services/billing/meter-reports";
import { stripeClient } from "../server/stripe/client";

interface EmulatorClock {
  now: number;
}

async function emulatorControl<T>(emulatorUrl: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulatorUrl}/_emulator/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`Stripe emulator ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function upgradeThroughCheckout(db: Db, args: { teamId: string; appUrl: string }): Promise<{ subscriptionId: string }> {
  const deps = { db, stripe: stripeClient(), clock: systemClock, config: appConfig(), logger };
  const owner = await db.membership.findFirstOrThrow({ where: { teamId: args.teamId, role: "OWNER" }, include: { user: true } });
  const checkout = await startUpgradeCheckout(deps, { teamId: args.teamId, currency: "usd", userId: owner.userId, appUrl: args.appUrl });
  const submitted = await fetch(checkout.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: owner.user.email ?? `${args.teamId}@example.com` }),
    redirect: "manual",
  });
  if (submitted.status !== 303 && submitted.status !== 302) {
    throw new Error(`The emulator's checkout page answered ${submitted.status}: ${await submitted.text()}`);
  }
  const result = await fulfilCheckout(deps, checkout.sessionId);
  if (result.status !== "fulfilled") throw new Error(`Checkout ${checkout.sessionId} was not fulfilled: ${result.status}`);
  return { subscriptionId: result.subscriptionId };
}

/** Reports the team's usage at the emulator's time, closes the subscription's period and waits for the invoice entry. */
export async function closeFirstPaidPeriod(db: Db, args: { teamId: string; subscriptionId: string; emulatorUrl: string }): Promise<{ invoicedCents: bigint }> {
  const clock = await emulatorControl<EmulatorClock>(args.emulatorUrl, "clock");
  const deps = { db, stripe: stripeClient(), clock: fixedClock(new Date(clock.now * 1000)), config: appConfig(), logger };
  await queueUsageReports(deps);
  const sent = await sendPendingMeterReports(deps);
  if (sent.failed > 0) throw new Error(`${sent.failed} meter report(s) were refused by the Stripe emulator`);
  await emulatorControl(args.emulatorUrl, "clock/advance", { toPeriodEndOf: args.subscriptionId });
  // Month ends can leave the period's end a little before real time: catch the emulator up.
  const after = await emulatorControl<EmulatorClock>(args.emulatorUrl, "clock");
  const behind = Math.floor(Date.now() / 1000) - after.now;
  if (behind > 0) await emulatorControl(args.emulatorUrl, "clock/advance", { seconds: behind });

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const entry = await db.usageEntry.findFirst({
      where: { kind: "INVOICE", costCenter: { teamId: args.teamId } },
      select: { creditCents: true },
    });
    if (entry) return { invoicedCents: -entry.creditCents };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`No invoice entry for ${args.teamId} within 60 s: is the worker processing stripe-event jobs?`);
}
