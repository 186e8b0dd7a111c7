// In-app notifications of a team (e.g. a payment dispute that blocked it), newest first.
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";

export interface TeamNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

export async function listTeamNotifications(db: Db, teamId: string, limit = 50): Promise<{ timeZone: string; notifications: TeamNotification[] }> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: { timeZone: true } });
  if (!team) throw new DomainError("NOT_FOUND", `Team ${teamId} not found.`);
  const notifications = await db.notification.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, kind: true, title: true, body: true, createdAt: true, resolvedAt: true },
  });
  return { timeZone: team.timeZone, notifications };
}
