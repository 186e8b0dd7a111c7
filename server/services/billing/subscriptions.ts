// A team's Stripe subscription → its cost center (SPEC §3.4, §3.6). Always applied from a freshly
// fetched subscription, never from a webhook payload, so events may arrive in any order or many
// times. An older state never overwrites a newer one: an ended subscription stays ended, and a
// subscription period never moves backwards.
import type Stripe from "stripe";
import type { Tx } from "../../db/client";
import { addMonthsClamped } from "../../domain/billing-cycle";
import { appendLedgerEntry } from "../ledger";
import { audit, fromUnix, idOf, type BillingDeps } from "./deps";

const ENTITLED = new Set(["active", "trialing", "past_due", "unpaid"]);
const ENDED = new Set(["canceled", "incomplete_expired"]);

export interface SubscriptionState {
  id: string;
  teamId: string;
  stripeCustomerId: string;
  status: string;
  currency: string;
  priceId: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  endedAt: Date | null;
}

export type SubscriptionSyncResult =
  | { outcome: "applied" | "stale"; teamId: string; subscription: SubscriptionState }
  | { outcome: "unknown_team"; subscriptionId: string };

function isEnded(s: Pick<SubscriptionState, "status" | "endedAt">): boolean {
  return ENDED.has(s.status) || s.endedAt !== null;
}

/** The team a Stripe object belongs to: its `teamId` metadata, else our customer mapping. */
export async function teamIdForCustomer(deps: Pick<BillingDeps, "db">, customerId: string | null, metadataTeamId?: string | null): Promise<string | null> {
  if (metadataTeamId) {
    const team = await deps.db.team.findUnique({ where: { id: metadataTeamId }, select: { id: true } });
    if (team) return team.id;
  }
  if (!customerId) return null;
  const mapping = await deps.db.stripeCustomer.findUnique({ where: { stripeCustomerId: customerId }, select: { teamId: true } });
  return mapping?.teamId ?? null;
}

export function subscriptionState(sub: Stripe.Subscription, teamId: string): SubscriptionState {
  // Since API 2025-03-31 the billing period lives on the subscription items.
  const item = sub.items.data[0];
  if (!item) throw new Error(`Subscription ${sub.id} has no items`);
  const customerId = idOf(sub.customer);
  if (!customerId) throw new Error(`Subscription ${sub.id} has no customer`);
  return {
    id: sub.id,
    teamId,
    stripeCustomerId: customerId,
    status: sub.status,
    currency: sub.currency,
    priceId: item.price.id,
    currentPeriodStart: fromUnix(item.current_period_start),
    currentPeriodEnd: fromUnix(item.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    endedAt: sub.ended_at ? fromUnix(sub.ended_at) : null,
  };
}

/** Re-fetches the subscription from Stripe and applies it. */
export async function syncSubscription(deps: BillingDeps, subscriptionId: string, eventCreated?: Date): Promise<SubscriptionSyncResult> {
  return applyFetchedSubscription(deps, await deps.stripe.subscriptions.retrieve(subscriptionId), eventCreated);
}

/** Applies a subscription just fetched from Stripe (retrieved or listed). */
export async function applyFetchedSubscription(deps: BillingDeps, sub: Stripe.Subscription, eventCreated?: Date): Promise<SubscriptionSyncResult> {
  const subscriptionId = sub.id;
  const teamId = await teamIdForCustomer(deps, idOf(sub.customer), sub.metadata.teamId ?? null);
  if (!teamId) {
    deps.logger.warn({ subscriptionId }, "Stripe subscription of no known team; ignored");
    return { outcome: "unknown_team", subscriptionId };
  }
  const state = subscriptionState(sub, teamId);
  const outcome = await deps.db.$transaction((tx) => applySubscriptionState(tx, deps, state, eventCreated));
  return { outcome, teamId, subscription: state };
}

async function lockCostCenter(tx: Tx, teamId: string) {
  await tx.$queryRaw`SELECT id FROM "CostCenter" WHERE "teamId" = ${teamId} FOR UPDATE`;
  const costCenter = await tx.costCenter.findUnique({ where: { teamId } });
  if (!costCenter) throw new Error(`Team ${teamId} has no cost center`);
  return costCenter;
}

export type LockedCostCenter = Awaited<ReturnType<typeof lockCostCenter>>;
export { lockCostCenter };

/** Stores the subscription (unless what we have is newer) and moves the cost center accordingly. */
export async function applySubscriptionState(tx: Tx, deps: Pick<BillingDeps, "clock">, s: SubscriptionState, eventCreated?: Date): Promise<"applied" | "stale"> {
  // The cost center lock serialises every Stripe change of one team.
  const costCenter = await lockCostCenter(tx, s.teamId);
  const existing = await tx.stripeSubscription.findUnique({ where: { id: s.id } });
  const stale =
    existing !== null &&
    ((isEnded(existing) && !isEnded(s)) || (!isEnded(s) && s.currentPeriodStart.getTime() < existing.currentPeriodStart.getTime()));
  if (stale) return "stale";

  const lastEventCreated =
    eventCreated && (!existing?.lastEventCreated || eventCreated > existing.lastEventCreated) ? eventCreated : (existing?.lastEventCreated ?? null);
  const row = {
    teamId: s.teamId,
    stripeCustomerId: s.stripeCustomerId,
    status: s.status,
    currency: s.currency,
    priceId: s.priceId,
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    endedAt: s.endedAt,
    lastEventCreated,
  };
  await tx.stripeSubscription.upsert({ where: { id: s.id }, create: { id: s.id, ...row }, update: row });
  if (!existing || existing.status !== s.status) {
    await audit(tx, {
      action: "stripe_subscription.status_changed",
      teamId: s.teamId,
      costCenterId: costCenter.id,
      targetType: "StripeSubscription",
      targetId: s.id,
      before: existing ? { status: existing.status } : null,
      after: { status: s.status },
    });
  }

  if (isEnded(s)) {
    await returnToFreeIfLastSubscription(tx, deps, costCenter, s);
  } else if (ENTITLED.has(s.status)) {
    if (costCenter.billingStrategy === "FREE") await upgradeToStripe(tx, costCenter, s);
    else await followSubscriptionPeriod(tx, costCenter, s);
  }
  return "applied";
}

/** Upgrading zeroes the free balance and starts a cycle aligned with the subscription (SPEC §3.4). */
async function upgradeToStripe(tx: Tx, costCenter: LockedCostCenter, s: SubscriptionState): Promise<void> {
  const key = `upgrade:${costCenter.id}:${s.id}`;
  // Only usage is closed: credits an admin granted (a negative balance) carry over and are used up
  // before anything is reported to the meter.
  if (costCenter.balanceCents > 0n) {
    await appendLedgerEntry(tx, {
      costCenterId: costCenter.id,
      kind: "CYCLE_RESET",
      idempotencyKey: key,
      creditCents: -costCenter.balanceCents,
      effectiveAt: s.currentPeriodStart,
      description: "Upgrade to the paid plan: free-plan usage closed",
    });
  }
  const after = {
    billingStrategy: "STRIPE" as const,
    // The free limit in force at the upgrade is what a deleted subscription returns to.
    freeSpendingLimitCents: costCenter.spendingLimitCents,
    currency: s.currency,
    cycleAnchor: s.currentPeriodStart,
    billingCycleStart: s.currentPeriodStart,
    nextBillingTime: s.currentPeriodEnd,
  };
  await tx.costCenter.update({ where: { id: costCenter.id }, data: after });
  await audit(tx, {
    action: "cost_center.plan_changed",
    teamId: s.teamId,
    costCenterId: costCenter.id,
    targetType: "CostCenter",
    targetId: costCenter.id,
    before: {
      billingStrategy: costCenter.billingStrategy,
      billingCycleStart: costCenter.billingCycleStart,
      nextBillingTime: costCenter.nextBillingTime,
      balanceCents: costCenter.balanceCents.toString(),
    },
    after: { ...after, freeSpendingLimitCents: after.freeSpendingLimitCents.toString(), subscriptionId: s.id },
  });
}

/** A Stripe team's cycle is the subscription's current period; it only ever moves forward. */
async function followSubscriptionPeriod(tx: Tx, costCenter: LockedCostCenter, s: SubscriptionState): Promise<void> {
  if (s.currentPeriodStart.getTime() <= costCenter.billingCycleStart.getTime()) return;
  await advanceCycle(tx, costCenter, s.teamId, s.currentPeriodStart, s.currentPeriodEnd, s.id);
}

export async function advanceCycle(tx: Tx, costCenter: LockedCostCenter, teamId: string, start: Date, end: Date, cause: string): Promise<void> {
  await tx.costCenter.update({ where: { id: costCenter.id }, data: { billingCycleStart: start, nextBillingTime: end } });
  await audit(tx, {
    action: "cost_center.cycle_advanced",
    teamId,
    costCenterId: costCenter.id,
    targetType: "CostCenter",
    targetId: costCenter.id,
    before: { billingCycleStart: costCenter.billingCycleStart, nextBillingTime: costCenter.nextBillingTime },
    after: { billingCycleStart: start, nextBillingTime: end, cause },
  });
}

/** A deleted subscription returns the team to FREE with its previous free limit (SPEC §3.4). */
async function returnToFreeIfLastSubscription(tx: Tx, deps: Pick<BillingDeps, "clock">, costCenter: LockedCostCenter, s: SubscriptionState): Promise<void> {
  if (costCenter.billingStrategy !== "STRIPE") return;
  const stillEntitled = await tx.stripeSubscription.count({
    where: { teamId: s.teamId, id: { not: s.id }, endedAt: null, status: { in: [...ENTITLED] } },
  });
  if (stillEntitled > 0) return;
  const start = s.endedAt ?? deps.clock.now();
  const after = {
    billingStrategy: "FREE" as const,
    spendingLimitCents: costCenter.freeSpendingLimitCents,
    // Past due is about paying Stripe; a free team owes nothing. A dispute block stays until an admin lifts it.
    status: costCenter.status === "PAST_DUE" ? ("ACTIVE" as const) : costCenter.status,
    pastDueSince: costCenter.status === "PAST_DUE" ? null : costCenter.pastDueSince,
    cycleAnchor: start,
    billingCycleStart: start,
    nextBillingTime: addMonthsClamped(start, 1),
  };
  await tx.costCenter.update({ where: { id: costCenter.id }, data: after });
  await audit(tx, {
    action: "cost_center.plan_changed",
    teamId: s.teamId,
    costCenterId: costCenter.id,
    targetType: "CostCenter",
    targetId: costCenter.id,
    before: {
      billingStrategy: costCenter.billingStrategy,
      spendingLimitCents: costCenter.spendingLimitCents.toString(),
      status: costCenter.status,
      billingCycleStart: costCenter.billingCycleStart,
      nextBillingTime: costCenter.nextBillingTime,
    },
    after: { ...after, spendingLimitCents: after.spendingLimitCents.toString(), subscriptionId: s.id },
  });
}
