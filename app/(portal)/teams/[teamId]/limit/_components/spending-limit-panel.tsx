"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, EmptyState, ErrorState, inputClass, Skeleton } from "@/app/_components/ui";
import { formatCredits, formatFullDateTime } from "@/app/_components/format";
import { parseSpendingLimit } from "@/server/domain/spending-limit";

export function SpendingLimitPanel({ teamId, isOwner }: { teamId: string; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const limit = useQuery(trpc.limits.get.queryOptions({ teamId }));
  const summary = useQuery(trpc.usage.summary.queryOptions({ teamId }));
  const history = useQuery({ ...trpc.limits.history.queryOptions({ teamId }), enabled: isOwner });
  const [value, setValue] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const update = useMutation(
    trpc.limits.update.mutationOptions({
      onSuccess: async (result) => {
        setSaved(result.changed ? `Limit changed from ${formatCredits(result.beforeCents)} to ${formatCredits(result.afterCents)} credits.` : "The limit already had that value.");
        setValue("");
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.limits.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() }),
        ]);
      },
    }),
  );

  if (limit.isPending) return <Skeleton className="mt-4 h-48" label="Loading spending limit" />;
  if (limit.isError) return <ErrorState message={`Could not load the limit: ${limit.error.message}`} onRetry={() => void limit.refetch()} />;
  const tz = limit.data.timeZone;
  const parsed = value.trim() === "" ? null : parseSpendingLimit(value);
  const used = summary.data?.scope === "TEAM" ? summary.data.usedCents : null;
  const belowUsage = parsed?.ok && used !== null && parsed.cents <= used;

  return (
    <div className="mt-4 grid gap-4 lg:grid-cols-2">
      <Card title="Current limit">
        <p className="text-3xl font-semibold tabular-nums" data-testid="current-limit">
          {formatCredits(limit.data.limitCents)} <span className="text-lg font-normal text-slate-500">credits per billing cycle</span>
        </p>
        {used !== null && <p className="mt-1 text-sm text-slate-600">{formatCredits(used)} credits used so far this cycle.</p>}
        <div className="mt-4 space-y-2 text-sm text-slate-700">
          <p className="font-medium">What happens at the limit</p>
          <ul className="list-disc space-y-1 pl-5">
            <li>When the team&apos;s usage in the current cycle reaches the limit, new workspaces are refused: the workspace platform asks before every start.</li>
            <li>
              Workspaces that are already running keep running
              {limit.data.stopWorkspacesAtLimit ? ", then are stopped after a short grace period (this team has that option on)" : ""}; their time still counts.
            </li>
            <li>Owners are notified at 80 % and 100 % of the limit, once per cycle.</li>
            <li>Usage starts again from zero when the next billing cycle begins{limit.data.billingStrategy === "FREE" ? " (usage beyond the limit carries over)" : ""}.</li>
            <li>A new limit takes effect immediately — also if it is below what was already used.</li>
          </ul>
        </div>
      </Card>
      {isOwner ? (
        <Card title="Change the limit">
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              setSaved(null);
              if (parsed?.ok) update.mutate({ teamId, credits: value });
            }}
            noValidate
          >
            <label className="block text-sm font-medium text-slate-700" htmlFor="limit-input">
              New limit in credits
            </label>
            <input
              id="limit-input"
              name="credits"
              inputMode="decimal"
              autoComplete="off"
              className={inputClass}
              placeholder={formatCredits(limit.data.limitCents).replaceAll(",", "")}
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                update.reset();
              }}
              aria-invalid={parsed !== null && !parsed.ok}
              aria-describedby="limit-help"
            />
            <p id="limit-help" className={`text-xs ${parsed && !parsed.ok ? "text-red-700" : "text-slate-500"}`} role={parsed && !parsed.ok ? "alert" : undefined}>
              {parsed && !parsed.ok ? parsed.reason : "Whole credits or two decimals, between 0 and 10,000,000. 0 stops all new workspaces."}
            </p>
            {belowUsage && (
              <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="below-usage-warning">
                This is at or below this cycle&apos;s usage ({formatCredits(used ?? 0n)} credits): new workspaces will be refused right away.
              </p>
            )}
            {update.isError && (
              <p role="alert" className="text-sm text-red-700">
                {update.error.message}
              </p>
            )}
            {saved && (
              <p role="status" className="text-sm text-emerald-700" data-testid="limit-saved">
                {saved}
              </p>
            )}
            <Button type="submit" disabled={!parsed?.ok || update.isPending}>
              {update.isPending ? "Saving…" : "Save limit"}
            </Button>
          </form>
        </Card>
      ) : (
        <Card title="Who can change it">
          <p className="text-sm text-slate-700" data-testid="owner-only-note">
            Only team owners can change the spending limit. Ask an owner of this team if you need more room.
          </p>
          <p className="mt-2 text-sm">
            <Link className="text-indigo-700 underline" href={`/teams/${encodeURIComponent(teamId)}/usage`}>
              Back to your usage
            </Link>
          </p>
        </Card>
      )}
      {isOwner && (
        <Card title="History" className="lg:col-span-2">
          {history.isPending && <Skeleton className="h-24" label="Loading history" />}
          {history.isError && <ErrorState message={`Could not load the history: ${history.error.message}`} onRetry={() => void history.refetch()} />}
          {history.data && history.data.length === 0 && <EmptyState title="No changes yet">The limit has been the default since the team was created.</EmptyState>}
          {history.data && history.data.length > 0 && (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="limit-history">
              {history.data.map((h) => (
                <li key={h.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                  <span>
                    <span className="font-medium">{h.actorName ?? h.actorEmail ?? (h.actorKind === "USER" ? h.actorId : h.actorKind.toLowerCase())}</span> changed the limit from{" "}
                    <span className="tabular-nums">{h.beforeCents === null ? "—" : formatCredits(h.beforeCents)}</span> to{" "}
                    <span className="font-medium tabular-nums">{h.afterCents === null ? "—" : formatCredits(h.afterCents)}</span>
                  </span>
                  <time className="text-xs text-slate-500" dateTime={h.at.toISOString()}>
                    {formatFullDateTime(h.at, tz)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </div>
  );
}
