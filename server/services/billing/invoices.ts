// Stripe invoices → the ledger and the payment status (SPEC §3.4, §3.6). A finalized invoice writes
// exactly one INVOICE entry keyed `invoice:<id>` (minus the credits it bills) and the cycle follows
// the subscription. The team's payment status is derived from all its invoices after each change:
// PAST_DUE while any finalized invoice is open after a failed payment attempt, else ACTIVE. A
// dispute block (BLOCKED) is never lifted here.
import type Stripe from "stripe";
import type { Tx } from "../../db/client";
import { appendLedgerEntry } from "../ledger";
import { audit, fromUnix, idOf, type BillingDeps } from "./deps";
import { advanceCycle, lockCostCenter, syncSubscription, teamIdForCustomer } from "./subscriptions";

/** Invoice statuses only move forward; a re-fetch that raced an older one never regresses it. */
const STATUS_RANK: Record<string, number> = { draft: 0, open: 1, paid: 2, uncollectible: 2, void: 2 };

function rank(status: string): number {
  return STATUS_RANK[status] ?? 0;
}

export interface InvoiceState {
  id: string;
  teamId: string;
  subscriptionId: string | null;
  status: string;
  currency: string;
  amountDue: bigint;
  amountPaid: bigint;
  creditCents: bigint;
  periodStart: Date;
  periodEnd: Date;
  hostedInvoiceUrl: string | null;
  attempted: boolean;
  finalizedAt: Date | null;
  paidAt: Date | null;
}

export type InvoiceSyncResult =
  | { outcome: "applied" | "stale"; invoice: InvoiceState; ledgerEntryCreated: boolean }
  | { outcome: "unknown_team" | "not_a_subscription_invoice"; invoiceId: string };

/** The credit cents an invoice bills: the metered quantity (the meter sums credit cents). */
async function invoicedCreditCents(stripe: Stripe, invoice: Stripe.Invoice): Promise<bigint> {
  const lines = invoice.lines.has_more
    ? await stripe.invoices.listLineItems(invoice.id, { limit: 100 }).autoPagingToArray({ limit: 10_000 })
    : invoice.lines.data;
  return lines.reduce((sum, line) => sum + BigInt(Math.round(line.quantity ?? 0)), 0n);
}

export async function syncInvoice(deps: BillingDeps, invoiceId: string): Promise<InvoiceSyncResult> {
  const invoice = await deps.stripe.invoices.retrieve(invoiceId);
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  if (!subscriptionId) return { outcome: "not_a_subscription_invoice", invoiceId };
  const teamId = await teamIdForCustomer(deps, idOf(invoice.customer), invoice.parent?.subscription_details?.metadata?.teamId ?? null);
  if (!teamId) {
    deps.logger.warn({ invoiceId }, "Stripe invoice of no known team; ignored");
    return { outcome: "unknown_team", invoiceId };
  }
  // The subscription first, so an invoice processed before its subscription (any webhook order)
  // still finds the team on the paid plan and the cycle where Stripe has it.
  await syncSubscription(deps, subscriptionId);
  const transitions = invoice.status_transitions;
  const state: InvoiceState = {
    id: invoice.id,
    teamId,
    subscriptionId,
    status: invoice.status ?? "draft",
    currency: invoice.currency,
    amountDue: BigInt(invoice.amount_due),
    amountPaid: BigInt(invoice.amount_paid),
    creditCents: await invoicedCreditCents(deps.stripe, invoice),
    periodStart: fromUnix(invoice.period_start),
    periodEnd: fromUnix(invoice.period_end),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    attempted: invoice.attempted,
    finalizedAt: transitions.finalized_at ? fromUnix(transitions.finalized_at) : null,
    paidAt: transitions.paid_at ? fromUnix(transitions.paid_at) : null,
  };
  return deps.db.$transaction((tx) => applyInvoiceState(tx, state));
}

export async function applyInvoiceState(tx: Tx, s: InvoiceState): Promise<InvoiceSyncResult> {
  const costCenter = await lockCostCenter(tx, s.teamId);
  const existing = await tx.stripeInvoice.findUnique({ where: { id: s.id } });
  const stale = existing !== null && (rank(existing.status) > rank(s.status) || (existing.status === s.status && existing.attempted && !s.attempted));
  if (stale) return { outcome: "stale", invoice: s, ledgerEntryCreated: false };

  const row = {
    teamId: s.teamId,
    subscriptionId: s.subscriptionId,
    status: s.status,
    currency: s.currency,
    amountDue: s.amountDue,
    amountPaid: s.amountPaid,
    creditCents: s.creditCents,
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    hostedInvoiceUrl: s.hostedInvoiceUrl,
    attempted: s.attempted,
    finalizedAt: s.finalizedAt,
    paidAt: s.paidAt,
  };
  await tx.stripeInvoice.upsert({ where: { id: s.id }, create: { id: s.id, ...row }, update: row });

  let ledgerEntryCreated = false;
  if (s.finalizedAt) {
    const { created } = await appendLedgerEntry(tx, {
      costCenterId: costCenter.id,
      kind: "INVOICE",
      idempotencyKey: `invoice:${s.id}`,
      creditCents: -s.creditCents,
      effectiveAt: s.finalizedAt,
      description: `Stripe invoice ${s.id} for ${s.periodStart.toISOString()} – ${s.periodEnd.toISOString()}`,
    });
    ledgerEntryCreated = created;
    // The invoice closes the period it bills: the cycle is at least the one after it.
    if (costCenter.billingStrategy === "STRIPE" && s.periodEnd.getTime() > costCenter.billingCycleStart.getTime()) {
      const subscription = s.subscriptionId ? await tx.stripeSubscription.findUnique({ where: { id: s.subscriptionId } }) : null;
      const end = subscription && subscription.currentPeriodEnd > s.periodEnd ? subscription.currentPeriodEnd : costCenter.nextBillingTime;
      if (end > s.periodEnd) await advanceCycle(tx, costCenter, s.teamId, s.periodEnd, end, `invoice:${s.id}`);
    }
  }
  await updatePaymentStatus(tx, s.teamId);
  return { outcome: "applied", invoice: s, ledgerEntryCreated };
}

/** ACTIVE ↔ PAST_DUE from the team's invoices; `pastDueSince` is when the oldest unpaid one was finalized. */
export async function updatePaymentStatus(tx: Tx, teamId: string): Promise<void> {
  const costCenter = await lockCostCenter(tx, teamId);
  if (costCenter.status === "BLOCKED") return;
  const unpaid = await tx.stripeInvoice.findFirst({
    where: { teamId, status: "open", attempted: true },
    orderBy: [{ finalizedAt: "asc" }, { id: "asc" }],
  });
  const status = unpaid ? ("PAST_DUE" as const) : ("ACTIVE" as const);
  const pastDueSince = unpaid ? (unpaid.finalizedAt ?? unpaid.periodEnd) : null;
  if (status === costCenter.status && pastDueSince?.getTime() === costCenter.pastDueSince?.getTime()) return;
  await tx.costCenter.update({ where: { id: costCenter.id }, data: { status, pastDueSince } });
  await audit(tx, {
    action: "cost_center.status_changed",
    teamId,
    costCenterId: costCenter.id,
    targetType: "CostCenter",
    targetId: costCenter.id,
    before: { status: costCenter.status, pastDueSince: costCenter.pastDueSince },
    after: { status, pastDueSince, invoiceId: unpaid?.id ?? null },
  });
}
