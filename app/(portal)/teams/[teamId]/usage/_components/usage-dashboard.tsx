"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { ErrorState, Skeleton } from "@/app/_components/ui";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";
import { UsageSummary } from "./usage-summary";
import { RangeBar } from "./range-bar";
import { UsageChart } from "./usage-chart";
import { UsageBreakdowns } from "./usage-breakdowns";
import { UsageTable } from "./usage-table";

export function UsageDashboard({ teamId, isOwner }: { teamId: string; isOwner: boolean }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.usage.summary.queryOptions({ teamId }));
  const [range, setRange] = useState<UsageRange>({ kind: "cycle", offset: 0 });
  const [filters, setFilters] = useState<UsageFilters>({});

  if (summary.isPending) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold">Usage</h1>
        <Skeleton className="h-36" label="Loading usage" />
      </div>
    );
  }
  if (summary.isError) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold">Usage</h1>
        <ErrorState message={`Could not load usage: ${summary.error.message}`} onRetry={() => void summary.refetch()} />
      </div>
    );
  }
  const s = summary.data;
  // Every query below is priced at the summary's instant, so all figures on the page agree.
  const query = { teamId, range, filters, asOf: s.asOf };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">Usage{s.scope === "SELF" ? " — your workspaces" : ""}</h1>
        <p className="text-xs text-slate-500">
          Times in {s.timeZone} · figures as of{" "}
          {new Intl.DateTimeFormat("en-US", { timeZone: s.timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(s.asOf)}{" "}
          <button type="button" className="text-indigo-700 underline" onClick={() => void summary.refetch()}>
            Refresh
          </button>
        </p>
      </div>
      <UsageSummary summary={s} teamId={teamId} isOwner={isOwner} />
      <RangeBar teamId={teamId} summary={s} range={range} onRange={setRange} filters={filters} onFilters={setFilters} query={query} />
      <UsageChart query={query} />
      <UsageBreakdowns query={query} showMembers={s.scope === "TEAM"} onPickMember={(userId) => setFilters((f) => ({ ...f, userId }))} onPickClass={(workspaceClass) => setFilters((f) => ({ ...f, workspaceClass }))} />
      <UsageTable query={query} showMember={s.scope === "TEAM"} timeZone={s.timeZone} />
    </div>
  );
}
