// `tsx scripts/demo-upgrade.ts <teamId> [usd|eur]` (run by `npm run demo`): takes a seeded team
// through the same Stripe Checkout a browser would — checkout session from the app's service, the
// emulator's hosted page submitted as a form, then the app's idempotent fulfilment — so the demo
// has a paying team whose subscription and cycle come from the emulator.
import { appConfig } from "../server/config/config";
import { db } from "../server/db/client";
import { systemClock } from "../server/lib/clock";
import { logger } from "../server/lib/logger";
import { fulfilCheckout, startUpgradeCheckout } from "../server/services/billing/checkout";
import { stripeClient } from "../server/stripe/client";

const [teamId, currencyArg = "usd"] = process.argv.slice(2);
if (!teamId || (currencyArg !== "usd" && currencyArg !== "eur")) {
  console.error("Usage: tsx scripts/demo-upgrade.ts <teamId> [usd|eur]");
  process.exit(2);
}
const deps = { db: db(), stripe: stripeClient(), clock: systemClock, config: appConfig(), logger };
const appUrl = process.env.APP_URL ?? "http://localhost:3000";

const costCenter = await deps.db.costCenter.findUniqueOrThrow({ where: { teamId } });
if (costCenter.billingStrategy === "STRIPE") {
  console.log(`${teamId} is already on the paid plan.`);
  process.exit(0);
}
const owner = await deps.db.membership.findFirstOrThrow({ where: { teamId, role: "OWNER" }, include: { user: true } });
const checkout = await startUpgradeCheckout(deps, { teamId, currency: currencyArg, userId: owner.userId, appUrl });
// What the browser does on the hosted page: submit its form with the billing email.
const submitted = await fetch(checkout.url, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ email: owner.user.email ?? `${teamId}@example.com` }),
  redirect: "manual",
});
if (submitted.status !== 303 && submitted.status !== 302) {
  console.error(`The emulator's checkout page answered ${submitted.status}: ${await submitted.text()}`);
  process.exit(1);
}
const result = await fulfilCheckout(deps, checkout.sessionId);
if (result.status !== "fulfilled") {
  console.error(`Checkout ${checkout.sessionId} was not fulfilled: ${result.status}`);
  process.exit(1);
}
console.log(`${teamId} now pays through Stripe (subscription ${result.subscriptionId}).`);
await deps.db.$disconnect();
process.exit(0);
