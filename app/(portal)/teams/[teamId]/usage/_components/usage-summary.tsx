"use client";
import Link from "next/link";
import type { CycleSummary } from "@/server/services/usage/summary";
import { Card } from "@/app/_components/ui";
import { formatCredits, formatDate, percentOf } from "@/app/_components/format";

function daysUntil(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / 86_400_000));
}

export function UsageSummary({ summary, teamId, isOwner }: { summary: CycleSummary; teamId: string; isOwner: boolean }) {
  const tz = summary.timeZone;
  const team = summary.scope === "TEAM";
  const percent = percentOf(summary.usedCents, summary.limitCents);
  const forecastPercent = percentOf(summary.endOfCycleCents, summary.limitCents);
  const barColor = percent >= 100 ? "bg-red-500" : percent >= 80 ? "bg-amber-500" : "bg-indigo-500";
  const lastDay = new Date(summary.cycleEnd.getTime() - 1);
  return (
    <div className="space-y-4">
      {!summary.canStart.allowed && (
        <div role="alert" data-testid="start-denied" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-semibold">
            {summary.canStart.reason === "SPENDING_LIMIT_REACHED"
              ? "Spending limit reached — new workspaces cannot start."
              : summary.canStart.reason === "BLOCKED"
                ? "This team is blocked — new workspaces cannot start."
                : "Payment past due — new workspaces cannot start."}
          </p>
          <p className="mt-1">{summary.canStart.message}</p>
          {isOwner && summary.canStart.reason === "SPENDING_LIMIT_REACHED" && (
            <Link href={`/teams/${encodeURIComponent(teamId)}/limit`} className="mt-2 inline-block font-medium underline">
              Change the spending limit
            </Link>
          )}
          {isOwner && summary.canStart.reason === "PAYMENT_PAST_DUE" && (
            <Link href={`/teams/${encodeURIComponent(teamId)}/billing`} className="mt-2 inline-block font-medium underline">
              Go to billing
            </Link>
          )}
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        <Card className="md:col-span-2" testId="usage-gauge">
          <p className="text-sm text-slate-500">{team ? "Credits used this cycle" : "Your credits this cycle"}</p>
          <p className="mt-1 text-3xl font-semibold tabular-nums">
            <span data-testid="credits-used">{formatCredits(summary.usedCents)}</span>
            {team && (
              <span className="text-lg font-normal text-slate-500">
                {" "}
                / <span data-testid="credits-limit">{formatCredits(summary.limitCents)}</span> limit
              </span>
            )}
          </p>
          {team && (
            <>
              <div
                className="relative mt-3 h-3 overflow-hidden rounded-full bg-slate-100"
                role="progressbar"
                aria-label="Credits used of the spending limit"
                aria-valuenow={Math.min(percent, 100)}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuetext={`${percent}% of the limit used`}
              >
                <div className="absolute inset-y-0 left-0 bg-indigo-200" style={{ width: `${Math.min(forecastPercent, 100)}%` }} title="Forecast by the end of the cycle" />
                <div className={`absolute inset-y-0 left-0 ${barColor}`} style={{ width: `${Math.min(percent, 100)}%` }} />
              </div>
              <p className="mt-2 text-sm text-slate-600">
                <span className="font-medium text-slate-800" data-testid="percent-used">
                  {percent}%
                </span>{" "}
                of the limit used · {formatCredits(summary.limitCents > summary.usedCents ? summary.limitCents - summary.usedCents : 0n)} credits left
                {isOwner && (
                  <>
                    {" · "}
                    <Link className="text-indigo-700 underline" href={`/teams/${encodeURIComponent(teamId)}/limit`}>
                      Change limit
                    </Link>
                  </>
                )}
              </p>
            </>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Cycle {formatDate(summary.cycleStart, tz)} – {formatDate(lastDay, tz)} · {summary.runningInstances}{" "}
            {summary.runningInstances === 1 ? "workspace" : "workspaces"} running now
          </p>
        </Card>
        <Card testId="usage-forecast">
          <p className="text-sm text-slate-500">Days left in cycle</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="days-left">
            {summary.daysLeft}
          </p>
          <p className="mt-3 text-sm text-slate-500">Forecast for the cycle</p>
          <p className="mt-1 text-lg font-semibold tabular-nums" data-testid="forecast">
            {formatCredits(summary.endOfCycleCents)} credits
          </p>
          <p className="text-xs text-slate-500">at {formatCredits(summary.ratePerDayCents)} credits/day (last 7 days)</p>
          {summary.outlook && (
            <p
              data-testid="limit-outlook"
              className={`mt-3 rounded-md px-2 py-1.5 text-sm ${
                summary.outlook.kind === "WITHIN_LIMIT" ? "bg-emerald-50 text-emerald-800" : summary.outlook.kind === "REACHED" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900"
              }`}
            >
              {summary.outlook.kind === "WITHIN_LIMIT" && "On track to stay within the limit this cycle."}
              {summary.outlook.kind === "REACHED" && "The limit is reached: new workspaces are refused until the cycle resets or the limit is raised."}
              {summary.outlook.kind === "WILL_REACH" &&
                `At this pace the limit is reached on ${formatDate(summary.outlook.at, tz)} (in ${daysUntil(summary.asOf, summary.outlook.at)} ${
                  daysUntil(summary.asOf, summary.outlook.at) === 1 ? "day" : "days"
                }).`}
            </p>
          )}
        </Card>
      </div>
    </div>
  );
}
