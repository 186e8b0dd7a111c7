"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { formatCredits } from "@/server/domain/money";

export function UsageSummary({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.usage.summary.queryOptions({ teamId }));
  if (summary.isPending) return <div className="mt-4 h-24 animate-pulse rounded-lg bg-slate-200" aria-label="Loading usage" />;
  if (summary.isError)
    return (
      <div role="alert" className="mt-4 rounded-lg bg-red-50 p-4 text-red-800">
        Could not load usage: {summary.error.message}{" "}
        <button className="underline" onClick={() => summary.refetch()}>
          Retry
        </button>
      </div>
    );
  const { usedCents, limitCents } = summary.data;
  const percent = limitCents > 0n ? Number((usedCents * 1000n) / limitCents) / 10 : 100;
  return (
    <section className="mt-4 rounded-lg border border-slate-200 bg-white p-5">
      <p className="text-sm text-slate-500">Credits used this cycle</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums">
        <span data-testid="credits-used">{formatCredits(usedCents)}</span>
        <span className="text-lg font-normal text-slate-500">
          {" "}
          / <span data-testid="credits-limit">{formatCredits(limitCents)}</span>
        </span>
      </p>
      <div className="mt-3 h-3 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-full ${percent >= 100 ? "bg-red-500" : percent >= 80 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
    </section>
  );
}
