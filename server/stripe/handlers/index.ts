// Stripe event type → handler. Unknown types are acknowledged and ignored (answering an error would
// make Stripe retry them for days).
import type { BillingDeps } from "../../services/billing/deps";
import { chargeDisputeCreated } from "./charge-dispute-created";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { customerSubscriptionCreated } from "./customer-subscription-created";
import { customerSubscriptionDeleted } from "./customer-subscription-deleted";
import { customerSubscriptionUpdated } from "./customer-subscription-updated";
import { customerUpdated } from "./customer-updated";
import { invoiceFinalized } from "./invoice-finalized";
import { invoicePaid } from "./invoice-paid";
import { invoicePaymentFailed } from "./invoice-payment-failed";
import type { StripeEventEnvelope } from "./types";

export type { StripeEventEnvelope, StripeEventHandler } from "./types";

const HANDLED = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.finalized",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.dispute.created",
  "customer.updated",
]);

export function isHandledEventType(type: string): boolean {
  return HANDLED.has(type);
}

export async function dispatchStripeEvent(event: StripeEventEnvelope, deps: BillingDeps): Promise<string> {
  switch (event.type) {
    case "checkout.session.completed":
      return checkoutSessionCompleted(event, deps);
    case "customer.subscription.created":
      return customerSubscriptionCreated(event, deps);
    case "customer.subscription.updated":
      return customerSubscriptionUpdated(event, deps);
    case "customer.subscription.deleted":
      return customerSubscriptionDeleted(event, deps);
    case "invoice.finalized":
      return invoiceFinalized(event, deps);
    case "invoice.paid":
      return invoicePaid(event, deps);
    case "invoice.payment_failed":
      return invoicePaymentFailed(event, deps);
    case "charge.dispute.created":
      return chargeDisputeCreated(event, deps);
    case "customer.updated":
      return customerUpdated(event, deps);
    default:
      return "ignored";
  }
}
