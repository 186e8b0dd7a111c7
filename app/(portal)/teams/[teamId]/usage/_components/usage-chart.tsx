"use client";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/app/_trpc/client";
import { Card, EmptyState, ErrorState, Skeleton } from "@/app/_components/ui";
import { formatCredits, formatDay } from "@/app/_components/format";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";

const PALETTE = ["#4f46e5", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#64748b", "#ec4899"];

export function classColor(classes: readonly string[], cls: string): string {
  return PALETTE[Math.max(classes.indexOf(cls), 0) % PALETTE.length] ?? "#64748b";
}

export function UsageChart({ query }: { query: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date } }) {
  const trpc = useTRPC();
  const series = useQuery(trpc.usage.series.queryOptions(query));
  return (
    <Card title="Credits per day by workspace class" testId="usage-chart">
      {series.isPending && <Skeleton className="h-64" label="Loading chart" />}
      {series.isError && <ErrorState message={`Could not load the chart: ${series.error.message}`} onRetry={() => void series.refetch()} />}
      {series.data &&
        (series.data.totalCents === 0n ? (
          <EmptyState title="No usage in this range">Workspaces started in this range will show up here, one bar per day.</EmptyState>
        ) : (
          <>
            <div className="h-64 w-full" role="img" aria-label={`Bar chart of credits per day; ${formatCredits(series.data.totalCents)} credits in total`}>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart
                  data={series.data.days.map((d) => ({
                    day: d.day,
                    ...Object.fromEntries(Object.entries(d.byClass).map(([cls, cents]) => [cls, Number(cents) / 100])),
                  }))}
                  margin={{ top: 4, right: 4, bottom: 0, left: -12 }}
                >
                  <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
                  <XAxis dataKey="day" tickFormatter={formatDay} tick={{ fontSize: 11 }} minTickGap={12} />
                  <YAxis tick={{ fontSize: 11 }} width={48} />
                  <Tooltip
                    labelFormatter={(day) => formatDay(String(day))}
                    formatter={(value, name) => [`${Number(value).toFixed(2)} credits`, String(name)]}
                  />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  {series.data.classes.map((cls) => (
                    <Bar key={cls} dataKey={cls} stackId="credits" fill={classColor(series.data.classes, cls)} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
            <p className="mt-2 text-xs text-slate-500">
              {formatCredits(series.data.totalCents)} credits in this range; days are calendar days in {series.data.timeZone}.
            </p>
          </>
        ))}
    </Card>
  );
}
