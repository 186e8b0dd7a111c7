"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { formatCredits } from "@/server/domain/money";

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

function formatDate(date: Date): string {
  return dateFormat.format(date);
}

function formatMoney(minorUnits: bigint, currency: string): string {
  const negative = minorUnits < 0n;
  const abs = negative ? -minorUnits : minorUnits;
  return `${negative ? "-" : ""}${(abs / 100n).toLocaleString("en-US")}.${(abs % 100n).toString().padStart(2, "0")} ${currency.toUpperCase()}`;
}

const invoiceStatusLabel: Record<string, string> = { open: "Open", paid: "Paid", draft: "Draft", void: "Void", uncollectible: "Uncollectible" };

export function BillingPanel({ teamId, isOwner, notice }: { teamId: string; isOwner: boolean; notice: "upgraded" | "cancelled" | null }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.billing.overview.queryOptions({ teamId }));
  const [currency, setCurrency] = useState<"usd" | "eur">("usd");
  const upgrade = useMutation(trpc.billing.upgrade.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }));
  const manage = useMutation(trpc.billing.manage.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }));

  if (overview.isPending) return <div className="mt-4 h-40 animate-pulse rounded-lg bg-slate-200" aria-label="Loading billing" />;
  if (overview.isError)
    return (
      <div role="alert" className="mt-4 rounded-lg bg-red-50 p-4 text-red-800">
        Could not load billing: {overview.error.message}{" "}
        <button className="underline" onClick={() => overview.refetch()}>
          Retry
        </button>
      </div>
    );
  const b = overview.data;
  const paid = b.plan === "STRIPE";
  const actionError = upgrade.error ?? manage.error;

  return (
    <div className="mt-4 space-y-4">
      {notice === "upgraded" && (
        <div role="status" className="rounded-lg bg-green-50 p-4 text-green-800">
          Thank you — your team is on the paid plan.
        </div>
      )}
      {notice === "cancelled" && !paid && (
        <div role="status" className="rounded-lg bg-slate-100 p-4 text-slate-700">
          Checkout was cancelled; nothing was charged.
        </div>
      )}
      {b.status === "PAST_DUE" && (
        <div role="alert" data-testid="banner-past-due" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
          <p className="font-medium">Your last payment failed.</p>
          <p className="mt-1 text-sm">
            Update your payment method in <strong>Manage billing</strong>
            {b.pastDueGraceEndsAt ? ` before ${formatDate(b.pastDueGraceEndsAt)}` : ""}; after that, new workspaces cannot start until the invoice is paid.
          </p>
        </div>
      )}
      {b.status === "BLOCKED" && (
        <div role="alert" data-testid="banner-blocked" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-medium">This team is blocked.</p>
          <p className="mt-1 text-sm">
            New workspaces cannot start. This happens when a payment is disputed or a platform admin blocks the team. Contact support to resolve it.
          </p>
        </div>
      )}

      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="plan-heading">
        <h2 id="plan-heading" className="text-sm text-slate-500">
          Plan
        </h2>
        <p className="mt-1 text-2xl font-semibold" data-testid="billing-plan">
          {paid ? `Paid plan${b.currency ? ` (${b.currency.toUpperCase()})` : ""}` : "Free plan"}
        </p>
        <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Current cycle</dt>
            <dd data-testid="billing-cycle">
              {formatDate(b.cycleStart)} – {formatDate(b.cycleEnd)}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{paid ? "Credits not yet invoiced" : "Credits used this cycle"}</dt>
            <dd className="tabular-nums">{formatCredits(b.usedCents)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Spending limit</dt>
            <dd className="tabular-nums">{formatCredits(b.spendingLimitCents)} credits</dd>
          </div>
          {b.subscription && paid && (
            <div>
              <dt className="text-slate-500">Subscription</dt>
              <dd>
                {b.subscription.status}
                {b.subscription.cancelAtPeriodEnd ? ` · ends ${formatDate(b.subscription.currentPeriodEnd)}` : ""}
              </dd>
            </div>
          )}
        </dl>

        <div className="mt-4 flex flex-wrap items-center gap-3">
          {!isOwner && <p className="text-sm text-slate-500">Only team owners can change the plan or payment details.</p>}
          {isOwner && !paid && (
            <>
              <label className="text-sm">
                <span className="mr-2">Currency</span>
                <select
                  className="rounded border border-slate-300 px-2 py-1"
                  value={currency}
                  onChange={(e) => setCurrency(e.target.value === "eur" ? "eur" : "usd")}
                >
                  <option value="usd">USD</option>
                  <option value="eur">EUR</option>
                </select>
              </label>
              <button
                type="button"
                className="rounded bg-indigo-600 px-4 py-2 text-white hover:bg-indigo-700 disabled:opacity-50"
                disabled={upgrade.isPending || b.status === "BLOCKED"}
                onClick={() => upgrade.mutate({ teamId, currency })}
              >
                {upgrade.isPending ? "Opening checkout…" : "Upgrade"}
              </button>
            </>
          )}
          {isOwner && b.hasBillingAccount && (
            <button
              type="button"
              className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50 disabled:opacity-50"
              disabled={manage.isPending}
              onClick={() => manage.mutate({ teamId })}
            >
              {manage.isPending ? "Opening…" : "Manage billing"}
            </button>
          )}
        </div>
        {actionError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {actionError.message}
          </p>
        )}
        {!paid && (
          <p className="mt-3 text-sm text-slate-500">
            The paid plan bills the credits your team uses each month (metered), instead of stopping at the free limit.
          </p>
        )}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading" className="font-medium">
          Invoices
        </h2>
        {b.invoices.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No invoices yet. {paid ? "The first one comes at the end of this cycle." : ""}</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="invoices">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-normal">Period</th>
                  <th className="py-2 pr-4 text-right font-normal">Credits</th>
                  <th className="py-2 pr-4 text-right font-normal">Amount</th>
                  <th className="py-2 pr-4 font-normal">Status</th>
                  <th className="py-2 font-normal">
                    <span className="sr-only">Invoice</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {b.invoices.map((i) => (
                  <tr key={i.id} className="border-t border-slate-100">
                    <td className="py-2 pr-4">
                      {formatDate(i.periodStart)} – {formatDate(i.periodEnd)}
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums">{formatCredits(i.creditCents)}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{formatMoney(i.amountDue, i.currency)}</td>
                    <td className={`py-2 pr-4 ${i.paymentFailed ? "text-red-700" : ""}`}>
                      {i.paymentFailed ? "Payment failed" : (invoiceStatusLabel[i.status] ?? i.status)}
                    </td>
                    <td className="py-2">
                      {i.hostedInvoiceUrl && (
                        <a className="text-indigo-700 underline" href={i.hostedInvoiceUrl} target="_blank" rel="noreferrer">
                          View
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
