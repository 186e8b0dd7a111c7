// Upgrade through Stripe Checkout and "Manage billing" through the customer portal (SPEC §3.6).
// Fulfilment is one idempotent function called by both the success page and the
// `checkout.session.completed` webhook; whichever comes first does the work, the other finds it done.
import { DomainError } from "../../domain/errors";
import { idempotencyKey } from "../../stripe/client";
import { ensureStripeCustomer, linkStripeCustomer } from "./customers";
import { idOf, type BillingDeps, type Currency } from "./deps";
import { syncSubscription } from "./subscriptions";

/**
 * Idempotency keys of user-initiated sessions carry a time window: a double click within it gets the
 * same session, a later click a fresh one (portal sessions expire within minutes, so a shorter window).
 */
const CHECKOUT_KEY_WINDOW_MS = 10 * 60_000;
const PORTAL_KEY_WINDOW_MS = 60_000;

function windowOf(now: Date, windowMs: number): string {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
}

export interface UpgradeInput {
  teamId: string;
  currency: Currency;
  userId: string;
  /** The portal's public URL, e.g. https://usage.example.com (success and cancel pages live under it). */
  appUrl: string;
}

export async function startUpgradeCheckout(deps: BillingDeps, input: UpgradeInput): Promise<{ url: string; sessionId: string }> {
  const costCenter = await deps.db.costCenter.findUnique({ where: { teamId: input.teamId } });
  if (!costCenter) throw new DomainError("NOT_FOUND", `Team ${input.teamId} not found`);
  if (costCenter.billingStrategy === "STRIPE") throw new DomainError("CONFLICT", "This team is already on the paid plan. Use “Manage billing” to change it.");
  if (costCenter.status === "BLOCKED") throw new DomainError("FORBIDDEN", "This team is blocked. Contact support before upgrading.");
  const price = deps.config.raw.stripe.priceIds[input.currency];
  const customer = await ensureStripeCustomer(deps, input.teamId);
  const billingUrl = `${input.appUrl.replace(/\/$/, "")}/teams/${encodeURIComponent(input.teamId)}/billing`;
  const session = await deps.stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      client_reference_id: input.teamId,
      // Metered price: no quantity; usage arrives through the billing meter.
      line_items: [{ price }],
      subscription_data: { metadata: { teamId: input.teamId } },
      metadata: { teamId: input.teamId, userId: input.userId },
      success_url: `${billingUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${billingUrl}?checkout=cancelled`,
    },
    { idempotencyKey: idempotencyKey("checkout.session.create", input.teamId, input.currency, input.userId, windowOf(deps.clock.now(), CHECKOUT_KEY_WINDOW_MS)) },
  );
  if (!session.url) throw new Error(`Checkout session ${session.id} has no URL`);
  await deps.db.auditLog.create({
    data: {
      actorKind: "USER",
      actorId: input.userId,
      action: "billing.checkout_started",
      teamId: input.teamId,
      costCenterId: costCenter.id,
      targetType: "CheckoutSession",
      targetId: session.id,
      after: { currency: input.currency, price },
    },
  });
  return { url: session.url, sessionId: session.id };
}

export type FulfilmentResult =
  | { status: "fulfilled"; teamId: string; subscriptionId: string }
  | { status: "pending"; teamId: string | null }
  | { status: "not_ours"; teamId: string | null };

/** Idempotent: safe to call any number of times, from the success page and the webhook at once. */
export async function fulfilCheckout(deps: BillingDeps, sessionId: string): Promise<FulfilmentResult> {
  const session = await deps.stripe.checkout.sessions.retrieve(sessionId);
  const teamId = session.client_reference_id;
  if (session.mode !== "subscription" || !teamId) return { status: "not_ours", teamId };
  const team = await deps.db.team.findUnique({ where: { id: teamId }, select: { id: true } });
  if (!team) return { status: "not_ours", teamId };
  const subscriptionId = idOf(session.subscription);
  if (session.status !== "complete" || !subscriptionId) return { status: "pending", teamId };
  const customerId = idOf(session.customer);
  if (customerId) await linkStripeCustomer(deps, teamId, customerId);
  const result = await syncSubscription(deps, subscriptionId);
  if (result.outcome === "unknown_team") return { status: "not_ours", teamId };
  return { status: "fulfilled", teamId, subscriptionId };
}

export async function openBillingPortal(deps: BillingDeps, input: { teamId: string; appUrl: string }): Promise<{ url: string }> {
  const mapping = await deps.db.stripeCustomer.findUnique({ where: { teamId: input.teamId } });
  if (!mapping) throw new DomainError("CONFLICT", "This team has no billing account yet. Upgrade first.");
  const returnUrl = `${input.appUrl.replace(/\/$/, "")}/teams/${encodeURIComponent(input.teamId)}/billing`;
  const session = await deps.stripe.billingPortal.sessions.create(
    { customer: mapping.stripeCustomerId, return_url: returnUrl },
    { idempotencyKey: idempotencyKey("billing_portal.session.create", input.teamId, windowOf(deps.clock.now(), PORTAL_KEY_WINDOW_MS)) },
  );
  return { url: session.url };
}
