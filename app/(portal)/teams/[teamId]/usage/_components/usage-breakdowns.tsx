"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { Card, EmptyState, ErrorState, Skeleton } from "@/app/_components/ui";
import { formatCredits, formatDuration, percentOf } from "@/app/_components/format";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";

function Share({ cents, total }: { cents: bigint; total: bigint }) {
  const p = percentOf(cents, total);
  return (
    <div className="mt-1 h-1.5 w-full overflow-hidden rounded bg-slate-100" aria-hidden="true">
      <div className="h-full bg-indigo-400" style={{ width: `${Math.min(Math.max(p, 0), 100)}%` }} />
    </div>
  );
}

export function UsageBreakdowns({
  query,
  showMembers,
  onPickMember,
  onPickClass,
}: {
  query: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date };
  showMembers: boolean;
  onPickMember: (userId: string) => void;
  onPickClass: (cls: string) => void;
}) {
  const trpc = useTRPC();
  const breakdown = useQuery(trpc.usage.breakdown.queryOptions(query));
  const body = (render: (data: NonNullable<typeof breakdown.data>) => React.ReactNode) => {
    if (breakdown.isPending) return <Skeleton className="h-40" label="Loading breakdown" />;
    if (breakdown.isError) return <ErrorState message={`Could not load the breakdown: ${breakdown.error.message}`} onRetry={() => void breakdown.refetch()} />;
    if (breakdown.data.entries === 0) return <EmptyState title="Nothing to break down in this range" />;
    return render(breakdown.data);
  };
  return (
    <div className={`grid gap-4 ${showMembers ? "md:grid-cols-2" : ""}`}>
      {showMembers && (
        <Card title="By member" testId="breakdown-member">
          {body((data) => (
            <ul className="space-y-3">
              {data.byMember.map((m) => (
                <li key={m.userId ?? "none"}>
                  <div className="flex items-baseline justify-between gap-2 text-sm">
                    <button
                      type="button"
                      className="min-w-0 truncate text-left text-slate-800 hover:underline"
                      onClick={() => m.userId && onPickMember(m.userId)}
                      title="Show only this member's usage"
                    >
                      {m.name ?? m.email ?? m.userId ?? "Unknown user"}
                    </button>
                    <span className="shrink-0 tabular-nums">
                      {formatCredits(m.cents)} <span className="text-xs text-slate-500">· {m.entries} runs</span>
                    </span>
                  </div>
                  <Share cents={m.cents} total={data.totalCents} />
                </li>
              ))}
            </ul>
          ))}
        </Card>
      )}
      <Card title="By workspace class" testId="breakdown-class">
        {body((data) => (
          <ul className="space-y-3">
            {data.byClass.map((c) => (
              <li key={c.workspaceClass}>
                <div className="flex items-baseline justify-between gap-2 text-sm">
                  <button type="button" className="min-w-0 shrink-0 text-left font-mono text-slate-800 hover:underline" onClick={() => onPickClass(c.workspaceClass)} title="Show only this class">
                    {c.workspaceClass}
                  </button>
                  <span className="shrink-0 tabular-nums">
                    {formatCredits(c.cents)}{" "}
                    <span className="text-xs text-slate-500">
                      · {c.entries} runs
                      {c.stoppedSeconds > 0 && <span className="hidden sm:inline"> · {formatDuration(c.stoppedSeconds)} stopped runtime</span>}
                    </span>
                  </span>
                </div>
                <Share cents={c.cents} total={data.totalCents} />
              </li>
            ))}
          </ul>
        ))}
      </Card>
    </div>
  );
}
