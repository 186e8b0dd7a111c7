import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { UsageSummary } from "./_components/usage-summary";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  void getQueryClient().prefetchQuery(trpc.usage.summary.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <h1 className="text-xl font-semibold">Usage</h1>
      <UsageSummary teamId={teamId} />
    </HydrateClient>
  );
}
