// Builds the tRPC context for one request: the signed-in portal user (from the next-auth
// session, re-read from the database so a revoked admin flag takes effect at once).
import { auth } from "../auth/config";
import { db } from "../db/client";
import { systemClock } from "../lib/clock";
import { mutationRateLimit } from "../lib/web-rate-limits";
import type { SessionUser, TrpcContext } from "./init";

export async function sessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id } });
  return user ? { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin } : null;
}

export async function createRequestContext(): Promise<TrpcContext> {
  return { db: db(), clock: systemClock, user: await sessionUser(), mutationRateLimit: mutationRateLimit() };
}
