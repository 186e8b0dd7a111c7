// Stripe billing (SPEC §3.6): the use cases other layers call. Event handlers live in
// server/stripe/handlers; the SDK client in server/stripe/client.
export type { BillingDeps, Currency } from "./deps";
export { ensureStripeCustomer } from "./customers";
export { startUpgradeCheckout, fulfilCheckout, openBillingPortal, type FulfilmentResult, type UpgradeInput } from "./checkout";
export { syncSubscription } from "./subscriptions";
export { syncInvoice } from "./invoices";
export { applyDispute } from "./disputes";
export { queueUsageReports, sendPendingMeterReports } from "./meter-reports";
export { storeStripeEvent, processStripeEvent, processUnprocessedEvents } from "./events";
export { syncStripe, type StripeSyncCounts } from "./sync";
export { billingOverview, type BillingOverview, type BillingInvoice } from "./overview";
