import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { teamViewer } from "../_lib/viewer";
import { MembersPanel } from "./_components/members-panel";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const viewer = await teamViewer(teamId);
  void getQueryClient().prefetchQuery(trpc.members.list.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <h1 className="text-xl font-semibold">Members</h1>
      <MembersPanel teamId={teamId} isOwner={viewer?.role === "OWNER"} currentUserId={viewer?.user.id ?? ""} />
    </HydrateClient>
  );
}
