import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { sessionUser } from "@/server/trpc/context";
import { listTeamsForUser } from "@/server/services/teams/directory";
import { SignOutButton } from "@/app/_components/sign-out-button";
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
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <Link href="/" className="font-semibold text-slate-900">
            Workspace usage
          </Link>
          <TeamSwitcher teams={teams} currentTeamId={teamId} />
          <div className="ml-auto flex items-center gap-2 text-sm text-slate-600">
            <span className="hidden sm:inline" data-testid="signed-in-as">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
        <TeamNav teamId={teamId} isOwner={current.role === "OWNER"} isAdmin={user.isPlatformAdmin} />
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
