"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, EmptyState, ErrorState, Skeleton } from "@/app/_components/ui";
import { formatFullDateTime } from "@/app/_components/format";

const OUTCOMES = ["RUNNING", "SUCCEEDED", "FAILED"] as const;

function duration(ms: number | null): string {
  if (ms === null) return "running";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function countsText(counts: unknown): string {
  if (!counts || typeof counts !== "object") return "";
  return Object.entries(counts)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(", ");
}

export function JobRuns() {
  const trpc = useTRPC();
  const [job, setJob] = useState("");
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number] | "">("");
  const names = useQuery(trpc.admin.jobNames.queryOptions());
  const runs = useInfiniteQuery(
    trpc.admin.jobRuns.infiniteQueryOptions({ limit: 50, ...(job ? { job } : {}), ...(outcome ? { outcome } : {}) }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const rows = runs.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <div className="mt-4 space-y-4">
      <div className="flex flex-wrap gap-3">
        <label className="text-xs font-medium text-slate-600">
          Job
          <select className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" value={job} onChange={(e) => setJob(e.target.value)}>
            <option value="">All jobs</option>
            {(names.data ?? []).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Outcome
          <select
            className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
            value={outcome}
            onChange={(e) => setOutcome(OUTCOMES.find((o) => o === e.target.value) ?? "")}
          >
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <Button variant="secondary" className="self-end" onClick={() => void runs.refetch()}>
          Refresh
        </Button>
      </div>
      <Card>
        {runs.isPending && <Skeleton className="h-40" label="Loading job runs" />}
        {runs.isError && <ErrorState message={`Could not load job runs: ${runs.error.message}`} onRetry={() => void runs.refetch()} />}
        {runs.data && rows.length === 0 && <EmptyState title="No job runs yet">Runs appear here once the worker has run a job.</EmptyState>}
        {rows.length > 0 && (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="job-runs">
            {rows.map((r) => (
              <li key={r.id} className="py-2">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span>
                    <span className="font-mono font-medium">{r.job}</span> <span className="text-xs text-slate-500">({r.trigger})</span>
                  </span>
                  <span className="flex items-center gap-2">
                    <span className="tabular-nums text-slate-600">{duration(r.durationMs)}</span>
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                        r.outcome === "FAILED" ? "bg-red-100 text-red-800" : r.outcome === "RUNNING" ? "bg-sky-100 text-sky-800" : "bg-emerald-50 text-emerald-800"
                      }`}
                    >
                      {r.outcome.toLowerCase()}
                    </span>
                  </span>
                </div>
                <p className="text-xs text-slate-500">
                  {formatFullDateTime(r.startedAt, "UTC")} UTC{countsText(r.counts) ? ` · ${countsText(r.counts)}` : ""}
                </p>
                {r.error && <p className="mt-1 break-words rounded bg-red-50 p-2 font-mono text-xs text-red-800">{r.error}</p>}
              </li>
            ))}
          </ul>
        )}
        {runs.hasNextPage && (
          <Button variant="secondary" className="mt-3" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
            {runs.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        )}
      </Card>
    </div>
  );
}
