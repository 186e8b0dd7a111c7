import { AdminTeam } from "../../_components/admin-team";

export const metadata = { title: "Team" };

export default async function AdminTeamPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return <AdminTeam teamId={teamId} />;
}
