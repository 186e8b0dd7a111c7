import { notFound, redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { sessionUser } from "@/server/trpc/context";
import { listTeamsForUser } from "@/server/services/teams/directory";
import { AppHeader } from "@/app/_components/app-header";
import { TeamSwitcher } from "./_components/team-switcher";
import { TeamNav } from "./_components/team-nav";

export default async function TeamLayout({ children, params }: { children: React.ReactNode; params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const user = await sessionUser();
  if (!user) redirect("/signin");
  const teams = await listTeamsForUser(db(), user);
  const current = teams.find((t) => t.id === teamId);
  if (!current) notFound();
  return (
    <div className="min-h-screen">
      <AppHeader
        email={user.email}
        context={<TeamSwitcher teams={teams} currentTeamId={teamId} />}
        nav={<TeamNav teamId={teamId} isOwner={current.role === "OWNER"} isAdmin={user.isPlatformAdmin} />}
      />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
