import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { EmptyState } from "@/app/_components/ui";
import { teamViewer } from "../_lib/viewer";
import { NotificationsList } from "./_components/notifications-list";

export const metadata = { title: "Notifications" };

export default async function NotificationsPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const viewer = await teamViewer(teamId);
  if (viewer?.role !== "OWNER") {
    return (
      <>
        <h1 className="text-xl font-semibold">Notifications</h1>
        <EmptyState title="Only team owners receive billing notifications">Ask an owner of this team if you need to know about its billing.</EmptyState>
      </>
    );
  }
  void getQueryClient().prefetchQuery(trpc.notifications.list.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <h1 className="text-xl font-semibold">Notifications</h1>
      <NotificationsList teamId={teamId} />
    </HydrateClient>
  );
}
