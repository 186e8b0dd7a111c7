"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, EmptyState, ErrorState, inputClass, Skeleton } from "@/app/_components/ui";
import { formatCredits, formatDate, formatFullDateTime } from "@/app/_components/format";
import { StatusBadge } from "./team-search";

const KINDS = ["WORKSPACE", "CYCLE_RESET", "INVOICE", "CREDIT_NOTE"] as const;
type Kind = (typeof KINDS)[number];

function newRequestId(): string {
  return crypto.randomUUID();
}

export function AdminTeam({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery(trpc.admin.team.queryOptions({ teamId }));
  const [kind, setKind] = useState<Kind | "">("");
  const ledger = useInfiniteQuery(
    trpc.admin.ledger.infiniteQueryOptions({ teamId, limit: 50, ...(kind ? { kind } : {}) }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const refreshAll = () => queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });

  const [credits, setCredits] = useState("");
  const [reason, setReason] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const grant = useMutation(
    trpc.admin.grantCredits.mutationOptions({
      onSuccess: async () => {
        setCredits("");
        setReason("");
        setRequestId(newRequestId());
        await Promise.all([refreshAll(), queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() })]);
      },
    }),
  );
  const [blockReason, setBlockReason] = useState("");
  const block = useMutation(
    trpc.admin.setBlocked.mutationOptions({
      onSuccess: async () => {
        setBlockReason("");
        await refreshAll();
      },
    }),
  );

  if (team.isPending) return <Skeleton className="h-64" label="Loading team" />;
  if (team.isError) return <ErrorState message={`Could not load the team: ${team.error.message}`} onRetry={() => void team.refetch()} />;
  const t = team.data;
  const cc = t.costCenter;
  const tz = t.timeZone;
  const rows = ledger.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">
          {t.name} <span className="font-mono text-sm font-normal text-slate-500">{t.id}</span>
        </h1>
        <Link className="text-sm text-indigo-700 underline" href={`/teams/${encodeURIComponent(t.id)}/usage`}>
          Open the team&apos;s usage page
        </Link>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Cost center" className="lg:col-span-1">
          {cc ? (
            <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Status</dt>
              <dd data-testid="admin-status">
                <StatusBadge status={cc.status} />
              </dd>
              <dt className="text-slate-500">Plan</dt>
              <dd>{cc.billingStrategy}</dd>
              <dt className="text-slate-500">Balance</dt>
              <dd className="tabular-nums" data-testid="admin-balance">
                {formatCredits(cc.balanceCents)}
              </dd>
              <dt className="text-slate-500">Limit</dt>
              <dd className="tabular-nums">{formatCredits(cc.spendingLimitCents)}</dd>
              <dt className="text-slate-500">Cycle</dt>
              <dd>
                {formatDate(cc.billingCycleStart, tz)} – {formatDate(new Date(cc.nextBillingTime.getTime() - 1), tz)}
              </dd>
              <dt className="text-slate-500">Owners</dt>
              <dd className="min-w-0 break-words">{t.owners.map((o) => o.email ?? o.userId).join(", ") || "—"}</dd>
              <dt className="text-slate-500">Members</dt>
              <dd>{t.memberCount}</dd>
              <dt className="text-slate-500">Cost center id</dt>
              <dd className="break-all font-mono text-xs">{cc.id}</dd>
            </dl>
          ) : (
            <EmptyState title="No cost center yet">The team was created but never provisioned.</EmptyState>
          )}
        </Card>
        {cc && (
          <Card title="Grant credits">
            <form
              className="space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                grant.mutate({ teamId, credits, reason, requestId });
              }}
            >
              <label className="block text-xs font-medium text-slate-600">
                Credits
                <input className={`${inputClass} mt-1`} inputMode="decimal" value={credits} onChange={(e) => setCredits(e.target.value)} name="credits" />
              </label>
              <label className="block text-xs font-medium text-slate-600">
                Reason (shown in the ledger and audit log)
                <input className={`${inputClass} mt-1`} value={reason} onChange={(e) => setReason(e.target.value)} name="reason" />
              </label>
              {grant.isError && (
                <p role="alert" className="text-sm text-red-700">
                  {grant.error.message}
                </p>
              )}
              {grant.isSuccess && (
                <p role="status" className="text-sm text-emerald-700" data-testid="grant-done">
                  Granted {formatCredits(grant.data.creditCents)} credits.
                </p>
              )}
              <Button type="submit" disabled={grant.isPending || credits.trim() === "" || reason.trim() === ""}>
                {grant.isPending ? "Granting…" : "Grant credits"}
              </Button>
            </form>
          </Card>
        )}
        {cc && (
          <Card title={cc.status === "BLOCKED" ? "Unblock" : "Block"}>
            <p className="text-sm text-slate-600">
              {cc.status === "BLOCKED"
                ? "The team cannot start workspaces. Unblocking restores its previous state (past due if a payment is still overdue)."
                : "A blocked team cannot start any workspace, whatever its limit. Use for disputes and abuse."}
            </p>
            <form
              className="mt-2 space-y-2"
              onSubmit={(e) => {
                e.preventDefault();
                block.mutate({ teamId, blocked: cc.status !== "BLOCKED", reason: blockReason });
              }}
            >
              <label className="block text-xs font-medium text-slate-600">
                Reason
                <input className={`${inputClass} mt-1`} value={blockReason} onChange={(e) => setBlockReason(e.target.value)} />
              </label>
              {block.isError && (
                <p role="alert" className="text-sm text-red-700">
                  {block.error.message}
                </p>
              )}
              <Button type="submit" variant={cc.status === "BLOCKED" ? "primary" : "danger"} disabled={block.isPending || blockReason.trim() === ""}>
                {cc.status === "BLOCKED" ? "Unblock team" : "Block team"}
              </Button>
            </form>
          </Card>
        )}
      </div>
      <Card
        title="Ledger"
        action={
          <label className="text-xs text-slate-600">
            <span className="sr-only">Entry kind</span>
            <select className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" value={kind} onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? "")}>
              <option value="">All entries</option>
              <option value="WORKSPACE">Workspace usage</option>
              <option value="CREDIT_NOTE">Credit notes</option>
              <option value="CYCLE_RESET">Cycle resets</option>
              <option value="INVOICE">Invoices</option>
            </select>
          </label>
        }
      >
        {ledger.isPending && <Skeleton className="h-40" label="Loading ledger" />}
        {ledger.isError && <ErrorState message={`Could not load the ledger: ${ledger.error.message}`} onRetry={() => void ledger.refetch()} />}
        {ledger.data && rows.length === 0 && <EmptyState title="No entries" />}
        {rows.length > 0 && (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="admin-ledger">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                <span className="min-w-0">
                  <span className="font-medium">{r.kind.replace("_", " ").toLowerCase()}</span>
                  {r.draft && <span className="ml-1 rounded bg-emerald-50 px-1 text-xs text-emerald-700">draft</span>}{" "}
                  <span className="text-slate-600">
                    {r.description ?? [r.workspaceClass, r.userId, r.instanceId].filter(Boolean).join(" · ")}
                    {r.createdByName ? ` — by ${r.createdByName}` : ""}
                  </span>
                  <span className="block text-xs text-slate-500">{formatFullDateTime(r.effectiveAt, tz)}</span>
                </span>
                <span className={`tabular-nums ${r.creditCents < 0n ? "text-emerald-700" : ""}`}>{formatCredits(r.creditCents)}</span>
              </li>
            ))}
          </ul>
        )}
        {ledger.hasNextPage && (
          <Button variant="secondary" className="mt-3" onClick={() => void ledger.fetchNextPage()} disabled={ledger.isFetchingNextPage}>
            {ledger.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </Card>
    </div>
  );
}
