// The `stripe-sync` job (SPEC §3.6): pushes pending usage and repairs what a lost webhook would have
// left stale — subscription state, finalized invoices without their INVOICE entry, stored events
// whose job never ran. Everything it calls is idempotent, so it may overlap webhooks and itself.
import type { BillingDeps } from "./deps";
import { processUnprocessedEvents } from "./events";
import { syncInvoice } from "./invoices";
import { queueUsageReports, sendPendingMeterReports } from "./meter-reports";
import { applyFetchedSubscription } from "./subscriptions";

/** Stored events younger than this are left to their own queued job. */
const EVENT_GRACE_MS = 2 * 60_000;

export interface StripeSyncCounts {
  [name: string]: number;
  customers: number;
  subscriptionsApplied: number;
  invoicesRepaired: number;
  eventsProcessed: number;
  eventsFailed: number;
  reportsQueued: number;
  reportsSent: number;
  reportsFailed: number;
  errors: number;
}

export async function syncStripe(deps: BillingDeps): Promise<StripeSyncCounts> {
  const counts: StripeSyncCounts = {
    customers: 0,
    subscriptionsApplied: 0,
    invoicesRepaired: 0,
    eventsProcessed: 0,
    eventsFailed: 0,
    reportsQueued: 0,
    reportsSent: 0,
    reportsFailed: 0,
    errors: 0,
  };

  // Events first: they are the cheapest way to catch up.
  const events = await processUnprocessedEvents(deps, new Date(deps.clock.now().getTime() - EVENT_GRACE_MS));
  counts.eventsProcessed = events.processed;
  counts.eventsFailed = events.failed;

  const customers = await deps.db.stripeCustomer.findMany({ select: { teamId: true, stripeCustomerId: true }, orderBy: { teamId: "asc" } });
  for (const customer of customers) {
    counts.customers += 1;
    try {
      await repairCustomer(deps, customer.stripeCustomerId, counts);
    } catch (error) {
      // One team's failure must not stop the others; the next run tries again.
      counts.errors += 1;
      deps.logger.warn({ teamId: customer.teamId, err: error instanceof Error ? error.message : String(error) }, "stripe sync of a team failed");
    }
  }

  counts.reportsQueued = await queueUsageReports(deps);
  const sent = await sendPendingMeterReports(deps);
  counts.reportsSent = sent.sent;
  counts.reportsFailed = sent.failed;
  return counts;
}

async function repairCustomer(deps: BillingDeps, customerId: string, counts: StripeSyncCounts): Promise<void> {
  const subscriptions = await deps.stripe.subscriptions.list({ customer: customerId, status: "all", limit: 10 });
  for (const sub of subscriptions.data) {
    const result = await applyFetchedSubscription(deps, sub);
    if (result.outcome === "applied") counts.subscriptionsApplied += 1;
  }
  if (subscriptions.data.length === 0) return;

  const invoices = await deps.stripe.invoices.list({ customer: customerId, limit: 24 });
  const known = await deps.db.stripeInvoice.findMany({
    where: { id: { in: invoices.data.map((i) => i.id) } },
    select: { id: true, status: true, attempted: true },
  });
  const knownById = new Map(known.map((i) => [i.id, i]));
  const entries = await deps.db.usageEntry.findMany({
    where: { idempotencyKey: { in: invoices.data.map((i) => `invoice:${i.id}`) } },
    select: { idempotencyKey: true },
  });
  const withEntry = new Set(entries.map((e) => e.idempotencyKey));
  for (const invoice of invoices.data) {
    if (!invoice.status || invoice.status === "draft") continue;
    const ours = knownById.get(invoice.id);
    const stale = !ours || ours.status !== invoice.status || ours.attempted !== invoice.attempted;
    const missingEntry = invoice.status_transitions.finalized_at !== null && !withEntry.has(`invoice:${invoice.id}`);
    if (!stale && !missingEntry) continue;
    const result = await syncInvoice(deps, invoice.id);
    if (result.outcome === "applied") counts.invoicesRepaired += 1;
  }
}
