"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { inputClass } from "@/app/_components/ui";
import { formatDate } from "@/app/_components/format";
import type { CycleSummary } from "@/server/services/usage/summary";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";

function dayInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export function RangeBar({
  summary,
  range,
  onRange,
  filters,
  onFilters,
  query,
}: {
  teamId: string;
  summary: CycleSummary;
  range: UsageRange;
  onRange: (r: UsageRange) => void;
  filters: UsageFilters;
  onFilters: (f: UsageFilters) => void;
  query: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date };
}) {
  const trpc = useTRPC();
  const tz = summary.timeZone;
  const today = dayInZone(summary.asOf, tz);
  const [custom, setCustom] = useState({ fromDay: dayInZone(summary.cycleStart, tz), toDay: today });
  // The member and class lists come from the unfiltered range, so a filter never hides its own options.
  const options = useQuery(trpc.usage.breakdown.queryOptions({ ...query, filters: {} }));
  const preset = range.kind === "cycle" ? `cycle:${range.offset}` : "custom";
  const team = summary.scope === "TEAM";
  return (
    <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" role="group" aria-label="Date range and filters">
      <label className="min-w-40 flex-1 text-xs font-medium text-slate-600 sm:flex-none">
        Date range
        <select
          className={`${inputClass} mt-1`}
          value={preset}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "custom") onRange({ kind: "custom", ...custom });
            else onRange({ kind: "cycle", offset: Number(v.split(":")[1] ?? "0") });
          }}
        >
          {summary.cycles.map((c) => (
            <option key={c.offset} value={`cycle:${c.offset}`}>
              {c.offset === 0 ? "Current cycle" : c.offset === 1 ? "Previous cycle" : `${c.offset} cycles ago`} ({formatDate(c.from, tz)} – {formatDate(new Date(c.to.getTime() - 1), tz)})
            </option>
          ))}
          <option value="custom">Custom dates…</option>
        </select>
      </label>
      {range.kind === "custom" && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (custom.fromDay && custom.toDay && custom.fromDay <= custom.toDay) onRange({ kind: "custom", ...custom });
          }}
        >
          <label className="text-xs font-medium text-slate-600">
            From
            <input type="date" className={`${inputClass} mt-1`} value={custom.fromDay} max={custom.toDay} onChange={(e) => setCustom((c) => ({ ...c, fromDay: e.target.value }))} />
          </label>
          <label className="text-xs font-medium text-slate-600">
            To
            <input type="date" className={`${inputClass} mt-1`} value={custom.toDay} min={custom.fromDay} onChange={(e) => setCustom((c) => ({ ...c, toDay: e.target.value }))} />
          </label>
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700" disabled={!custom.fromDay || !custom.toDay || custom.fromDay > custom.toDay}>
            Apply
          </button>
        </form>
      )}
      {team && (
        <label className="min-w-40 flex-1 text-xs font-medium text-slate-600 sm:flex-none">
          Member
          <select
            className={`${inputClass} mt-1`}
            value={filters.userId ?? ""}
            onChange={(e) => onFilters({ ...filters, userId: e.target.value || undefined })}
            data-testid="filter-member"
          >
            <option value="">All members</option>
            {(options.data?.byMember ?? []).map((m) => (
              <option key={m.userId ?? "none"} value={m.userId ?? ""}>
                {m.name ?? m.email ?? m.userId ?? "Unknown user"}
              </option>
            ))}
            {filters.userId && !options.data?.byMember.some((m) => m.userId === filters.userId) && <option value={filters.userId}>{filters.userId}</option>}
          </select>
        </label>
      )}
      <label className="min-w-36 flex-1 text-xs font-medium text-slate-600 sm:flex-none">
        Workspace class
        <select
          className={`${inputClass} mt-1`}
          value={filters.workspaceClass ?? ""}
          onChange={(e) => onFilters({ ...filters, workspaceClass: e.target.value || undefined })}
          data-testid="filter-class"
        >
          <option value="">All classes</option>
          {(options.data?.byClass ?? []).map((c) => (
            <option key={c.workspaceClass} value={c.workspaceClass}>
              {c.workspaceClass}
            </option>
          ))}
          {filters.workspaceClass && !options.data?.byClass.some((c) => c.workspaceClass === filters.workspaceClass) && (
            <option value={filters.workspaceClass}>{filters.workspaceClass}</option>
          )}
        </select>
      </label>
      {(filters.userId || filters.workspaceClass) && (
        <button type="button" className="py-2 text-sm text-indigo-700 underline" onClick={() => onFilters({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}
