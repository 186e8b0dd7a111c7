import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { teamViewer } from "../_lib/viewer";
import { UsageDashboard } from "./_components/usage-dashboard";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const viewer = await teamViewer(teamId);
  void getQueryClient().prefetchQuery(trpc.usage.summary.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <UsageDashboard teamId={teamId} isOwner={viewer?.role === "OWNER"} />
    </HydrateClient>
  );
}
