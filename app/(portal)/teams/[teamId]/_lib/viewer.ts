// The signed-in user's role in the team, for pages that show or hide owner-only controls. The
// procedures check again on every call; this only decides what to render.
import "server-only";
import { cache } from "react";
import { db } from "@/server/db/client";
import { sessionUser } from "@/server/trpc/context";

export const teamViewer = cache(async (teamId: string) => {
  const user = await sessionUser();
  if (!user) return null;
  const membership = await db().membership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } } });
  return { user, role: membership?.role ?? null, isAdmin: user.isPlatformAdmin };
});
