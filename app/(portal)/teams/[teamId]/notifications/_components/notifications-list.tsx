"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { Card, EmptyState, ErrorState, Skeleton } from "@/app/_components/ui";
import { formatFullDateTime } from "@/app/_components/format";

export function NotificationsList({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.notifications.list.queryOptions({ teamId }));
  if (list.isPending) return <Skeleton className="mt-4 h-32" label="Loading notifications" />;
  if (list.isError) return <ErrorState message={`Notifications could not be loaded. ${list.error.message}`} onRetry={() => void list.refetch()} />;
  const { notifications, timeZone } = list.data;
  if (notifications.length === 0) {
    return (
      <EmptyState title="Nothing needs your attention">
        Billing events that need an owner — a disputed payment that blocked the team, for example — appear here.
      </EmptyState>
    );
  }
  return (
    <Card className="mt-4">
      <ul className="divide-y divide-slate-100" data-testid="notifications">
        {notifications.map((n) => (
          <li key={n.id} className="py-3">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="font-medium">{n.title}</p>
              <time className="text-xs text-slate-500" dateTime={n.createdAt.toISOString()}>
                {formatFullDateTime(n.createdAt, timeZone)}
              </time>
            </div>
            <p className="mt-1 text-sm text-slate-700">{n.body}</p>
            {n.resolvedAt && <p className="mt-1 text-xs text-emerald-700">Resolved {formatFullDateTime(n.resolvedAt, timeZone)}</p>}
          </li>
        ))}
      </ul>
    </Card>
  );
}
