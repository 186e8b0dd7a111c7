// Which teams a portal user sees in the team switcher.
import type { Db } from "../../db/client";

export interface TeamListItem {
  id: string;
  name: string;
  role: "OWNER" | "MEMBER" | null;
}

export async function listTeamsForUser(db: Db, user: { id: string; isPlatformAdmin: boolean }): Promise<TeamListItem[]> {
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    include: { team: { select: { id: true, name: true } } },
    orderBy: { team: { name: "asc" } },
  });
  const mine: TeamListItem[] = memberships.map((m) => ({ id: m.team.id, name: m.team.name, role: m.role }));
  if (!user.isPlatformAdmin) return mine;
  const others = await db.team.findMany({
    where: { id: { notIn: mine.map((t) => t.id) } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return [...mine, ...others.map((t) => ({ ...t, role: null }))];
}
