// One Stripe customer per team (metadata teamId), created idempotently: the Idempotency-Key is the
// team id, so two replicas (or a retry after a lost response) get the same customer back, and the
// unique mapping row keeps the first one.
import { DomainError } from "../../domain/errors";
import { idempotencyKey } from "../../stripe/client";
import type { BillingDeps } from "./deps";

export async function ensureStripeCustomer(deps: BillingDeps, teamId: string): Promise<string> {
  const existing = await deps.db.stripeCustomer.findUnique({ where: { teamId } });
  if (existing) return existing.stripeCustomerId;
  const team = await deps.db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
  if (!team) throw new DomainError("NOT_FOUND", `Team ${teamId} not found`);
  const customer = await deps.stripe.customers.create(
    { name: team.name, metadata: { teamId } },
    { idempotencyKey: idempotencyKey("customer.create", teamId) },
  );
  await deps.db.stripeCustomer.createMany({ data: [{ teamId, stripeCustomerId: customer.id }], skipDuplicates: true });
  const mapping = await deps.db.stripeCustomer.findUnique({ where: { teamId } });
  if (!mapping) throw new Error(`Stripe customer mapping of team ${teamId} vanished`);
  return mapping.stripeCustomerId;
}

/** Records a customer Stripe created for a team (e.g. by Checkout) if the team has none yet. */
export async function linkStripeCustomer(deps: Pick<BillingDeps, "db">, teamId: string, stripeCustomerId: string): Promise<void> {
  await deps.db.stripeCustomer.createMany({ data: [{ teamId, stripeCustomerId }], skipDuplicates: true });
}

export type CustomerUpdateResult = { outcome: "linked" | "unchanged" | "deleted" | "unknown_team"; customerId: string };

/** `customer.updated`: re-fetch and keep the team ↔ customer mapping current. */
export async function applyCustomerUpdate(deps: BillingDeps, customerId: string): Promise<CustomerUpdateResult> {
  const customer = await deps.stripe.customers.retrieve(customerId);
  if (customer.deleted) return { outcome: "deleted", customerId };
  const known = await deps.db.stripeCustomer.findUnique({ where: { stripeCustomerId: customerId } });
  if (known) {
    await deps.db.stripeCustomer.update({ where: { stripeCustomerId: customerId }, data: { updatedAt: deps.clock.now() } });
    return { outcome: "unchanged", customerId };
  }
  const teamId = customer.metadata.teamId;
  if (!teamId || !(await deps.db.team.findUnique({ where: { id: teamId }, select: { id: true } }))) return { outcome: "unknown_team", customerId };
  await linkStripeCustomer(deps, teamId, customerId);
  return { outcome: "linked", customerId };
}
