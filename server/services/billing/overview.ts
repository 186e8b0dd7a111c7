// The Billing page's read model: plan, payment status, cycle dates, subscription, invoices.
import type { AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { pricingFromConfig } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";
import { currentCycleUsage } from "../ledger";

export interface BillingInvoice {
  id: string;
  status: string;
  currency: string;
  amountDue: bigint;
  amountPaid: bigint;
  creditCents: bigint;
  periodStart: Date;
  periodEnd: Date;
  finalizedAt: Date | null;
  paidAt: Date | null;
  hostedInvoiceUrl: string | null;
  /** Open after a failed payment attempt. */
  paymentFailed: boolean;
}

export interface BillingOverview {
  teamId: string;
  plan: "FREE" | "STRIPE";
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
  pastDueSince: Date | null;
  /** After this, a past-due team's workspaces are denied (SPEC §3.5). */
  pastDueGraceEndsAt: Date | null;
  currency: string | null;
  cycleStart: Date;
  cycleEnd: Date;
  /** Credits used this cycle (not yet invoiced on the paid plan), running workspaces included: the
   * same live figure as the Usage page and the spending check. */
  usedCents: bigint;
  spendingLimitCents: bigint;
  freeSpendingLimitCents: bigint;
  hasBillingAccount: boolean;
  subscription: {
    id: string;
    status: string;
    currentPeriodStart: Date;
    currentPeriodEnd: Date;
    cancelAtPeriodEnd: boolean;
  } | null;
  invoices: BillingInvoice[];
}

export async function billingOverview(deps: { db: Db; config: AppConfig; clock: Clock }, teamId: string, invoiceLimit = 24): Promise<BillingOverview> {
  const [costCenter, customer, subscription, invoices] = await Promise.all([
    deps.db.costCenter.findUnique({ where: { teamId } }),
    deps.db.stripeCustomer.findUnique({ where: { teamId }, select: { stripeCustomerId: true } }),
    deps.db.stripeSubscription.findFirst({ where: { teamId }, orderBy: [{ endedAt: { sort: "desc", nulls: "first" } }, { currentPeriodStart: "desc" }] }),
    deps.db.stripeInvoice.findMany({ where: { teamId }, orderBy: [{ periodStart: "desc" }, { id: "desc" }], take: invoiceLimit }),
  ]);
  if (!costCenter) throw new DomainError("NOT_FOUND", "This team has no billing account.");
  const usage = await currentCycleUsage(deps.db, costCenter.id, deps.clock, pricingFromConfig(deps.config));
  const graceMs = deps.config.raw.pastDueGracePeriodHours * 3600_000;
  return {
    teamId,
    plan: costCenter.billingStrategy,
    status: costCenter.status,
    pastDueSince: costCenter.pastDueSince,
    pastDueGraceEndsAt: costCenter.pastDueSince ? new Date(costCenter.pastDueSince.getTime() + graceMs) : null,
    currency: costCenter.currency,
    // From the usage read, which closes a free cycle that has just ended first.
    cycleStart: usage.cycleStart,
    cycleEnd: usage.cycleEnd,
    usedCents: usage.usedCents,
    spendingLimitCents: costCenter.spendingLimitCents,
    freeSpendingLimitCents: costCenter.freeSpendingLimitCents,
    hasBillingAccount: customer !== null,
    subscription: subscription
      ? {
          id: subscription.id,
          status: subscription.status,
          currentPeriodStart: subscription.currentPeriodStart,
          currentPeriodEnd: subscription.currentPeriodEnd,
          cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
        }
      : null,
    invoices: invoices.map((i) => ({
      id: i.id,
      status: i.status,
      currency: i.currency,
      amountDue: i.amountDue,
      amountPaid: i.amountPaid,
      creditCents: i.creditCents,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      finalizedAt: i.finalizedAt,
      paidAt: i.paidAt,
      hostedInvoiceUrl: i.hostedInvoiceUrl,
      paymentFailed: i.status === "open" && i.attempted,
    })),
  };
}
