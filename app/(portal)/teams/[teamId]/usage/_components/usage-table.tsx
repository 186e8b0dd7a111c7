"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, EmptyState, ErrorState, Skeleton } from "@/app/_components/ui";
import { formatCredits, formatDateTime, formatDuration } from "@/app/_components/format";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";
import type { UsageRow } from "@/server/services/usage/entries";
import { CsvExportButton } from "./csv-export";

/** The current time, once a second, only while something on screen is ticking. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

function liveFigures(row: UsageRow, asOf: Date, now: number): { cents: bigint; seconds: number } {
  if (!row.running || row.centsPerHour === null) return { cents: row.creditCents, seconds: row.durationSeconds };
  const elapsed = Math.max(0, now - asOf.getTime());
  return { cents: row.creditCents + (BigInt(elapsed) * row.centsPerHour) / 3_600_000n, seconds: row.durationSeconds + Math.floor(elapsed / 1000) };
}

export function UsageTable({
  query,
  showMember,
  timeZone,
}: {
  query: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date };
  showMember: boolean;
  timeZone: string;
}) {
  const trpc = useTRPC();
  const totals = useQuery(trpc.usage.totals.queryOptions(query));
  const pages = useInfiniteQuery(trpc.usage.entries.infiniteQueryOptions({ ...query, limit: 50 }, { getNextPageParam: (last) => last.nextCursor }));
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  const now = useNow(rows.some((r) => r.running));

  return (
    <Card
      title="Workspace runs"
      testId="usage-table"
      action={
        totals.data && (
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="text-slate-600">
              <span data-testid="range-entries">{totals.data.entries.toLocaleString("en-US")}</span> runs ·{" "}
              <span className="font-semibold text-slate-900" data-testid="range-total">
                {formatCredits(totals.data.totalCents)}
              </span>{" "}
              credits
            </span>
            <CsvExportButton query={query} expectedRows={totals.data.entries} />
          </div>
        )
      }
    >
      {pages.isPending && <Skeleton className="h-64" label="Loading usage table" />}
      {pages.isError && <ErrorState message={`Could not load the usage table: ${pages.error.message}`} onRetry={() => void pages.refetch()} />}
      {pages.data && rows.length === 0 && <EmptyState title="No workspace runs in this range">Try another date range or clear the filters.</EmptyState>}
      {rows.length > 0 && (
        <>
          {/* Phones: one card per run; wider screens: a table. Neither scrolls sideways. */}
          <ul className="divide-y divide-slate-100 sm:hidden" aria-label="Workspace runs">
            {rows.map((r) => {
              const live = liveFigures(r, query.asOf, now);
              return (
                <li key={r.id} className="py-2 text-sm" data-testid="usage-row">
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="min-w-0 truncate font-medium">{r.workspaceId ?? r.instanceId ?? "—"}</span>
                    <span className="shrink-0 tabular-nums">{formatCredits(live.cents)}</span>
                  </div>
                  <div className="flex flex-wrap gap-x-2 text-xs text-slate-500">
                    <span className="font-mono">{r.workspaceClass}</span>
                    {showMember && <span>{r.userName ?? r.userEmail ?? r.userId}</span>}
                    <span>{r.startedAt ? formatDateTime(r.startedAt, timeZone) : "not started"}</span>
                    <span>{formatDuration(live.seconds)}</span>
                    {r.running && <LiveBadge />}
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="hidden sm:block">
            <table className="w-full table-fixed text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="w-[28%] py-2 pr-2 font-medium">
                    Workspace
                  </th>
                  <th scope="col" className="py-2 pr-2 font-medium">
                    Class
                  </th>
                  {showMember && (
                    <th scope="col" className="py-2 pr-2 font-medium">
                      Member
                    </th>
                  )}
                  <th scope="col" className="py-2 pr-2 font-medium">
                    Start
                  </th>
                  <th scope="col" className="py-2 pr-2 font-medium">
                    Duration
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Credits
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((r) => {
                  const live = liveFigures(r, query.asOf, now);
                  return (
                    <tr key={r.id} data-testid="usage-row">
                      <td className="truncate py-2 pr-2" title={r.contextUrl ?? undefined}>
                        {r.workspaceId ?? r.instanceId ?? "—"}
                      </td>
                      <td className="truncate py-2 pr-2 font-mono text-xs">{r.workspaceClass}</td>
                      {showMember && <td className="truncate py-2 pr-2">{r.userName ?? r.userEmail ?? r.userId}</td>}
                      <td className="py-2 pr-2 tabular-nums">{r.startedAt ? formatDateTime(r.startedAt, timeZone) : "—"}</td>
                      <td className="py-2 pr-2 tabular-nums">
                        {formatDuration(live.seconds)} {r.running && <LiveBadge />}
                      </td>
                      <td className="py-2 text-right tabular-nums">{formatCredits(live.cents)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="mt-3 flex items-center justify-between gap-2 text-xs text-slate-500">
            <span>
              Showing {rows.length.toLocaleString("en-US")} of {totals.data ? totals.data.entries.toLocaleString("en-US") : "…"} runs. Running workspaces count up live; the
              total is as of the time above.
            </span>
            {pages.hasNextPage && (
              <Button variant="secondary" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                {pages.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            )}
          </div>
        </>
      )}
    </Card>
  );
}

function LiveBadge() {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-emerald-50 px-1.5 py-0.5 text-[11px] font-medium text-emerald-700" data-testid="live-badge">
      <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-emerald-500" aria-hidden="true" />
      live
    </span>
  );
}
