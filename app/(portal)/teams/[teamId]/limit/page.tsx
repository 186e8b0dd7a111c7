import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { teamViewer } from "../_lib/viewer";
import { SpendingLimitPanel } from "./_components/spending-limit-panel";

export const metadata = { title: "Spending limit" };

export default async function LimitPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const viewer = await teamViewer(teamId);
  const isOwner = viewer?.role === "OWNER";
  void getQueryClient().prefetchQuery(trpc.limits.get.queryOptions({ teamId }));
  if (isOwner) void getQueryClient().prefetchQuery(trpc.limits.history.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <h1 className="text-xl font-semibold">Spending limit</h1>
      <SpendingLimitPanel teamId={teamId} isOwner={isOwner} />
    </HydrateClient>
  );
}
