"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Card, EmptyState, ErrorState, inputClass, Skeleton } from "@/app/_components/ui";
import { formatCredits } from "@/app/_components/format";

export function StatusBadge({ status }: { status: string | null }) {
  const style = status === "BLOCKED" ? "bg-red-100 text-red-800" : status === "PAST_DUE" ? "bg-amber-100 text-amber-900" : "bg-emerald-50 text-emerald-800";
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>{status ?? "no cost center"}</span>;
}

export function TeamSearch() {
  const trpc = useTRPC();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const teams = useQuery({ ...trpc.admin.teams.queryOptions({ query: deferred }), placeholderData: keepPreviousData });
  return (
    <div className="mt-4 space-y-4">
      <label className="block max-w-md text-sm font-medium text-slate-700">
        Find a team by id, name or a member&apos;s email
        <input type="search" className={`${inputClass} mt-1`} value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. acme or alice@acme.test" />
      </label>
      <Card>
        {teams.isPending && <Skeleton className="h-40" label="Loading teams" />}
        {teams.isError && <ErrorState message={`Could not search teams: ${teams.error.message}`} onRetry={() => void teams.refetch()} />}
        {teams.data && teams.data.length === 0 && <EmptyState title="No team matches">Try part of the name, the team id or an email.</EmptyState>}
        {teams.data && teams.data.length > 0 && (
          <ul className="divide-y divide-slate-100">
            {teams.data.map((t) => (
              <li key={t.id}>
                <Link href={`/admin/teams/${encodeURIComponent(t.id)}`} className="flex flex-wrap items-center justify-between gap-2 py-3 hover:bg-slate-50">
                  <span className="min-w-0">
                    <span className="font-medium">{t.name}</span> <span className="font-mono text-xs text-slate-500">{t.id}</span>
                    <span className="block text-xs text-slate-500">
                      {t.billingStrategy ?? "—"} · {t.members} members
                    </span>
                  </span>
                  <span className="flex items-center gap-2 text-sm tabular-nums">
                    {t.balanceCents !== null && t.limitCents !== null && (
                      <span>
                        {formatCredits(t.balanceCents)} / {formatCredits(t.limitCents)}
                      </span>
                    )}
                    <StatusBadge status={t.status} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
