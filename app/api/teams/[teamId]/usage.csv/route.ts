// CSV export of the Usage page's table for any range, streamed in keyset batches. Same session and
// membership rules as the tRPC usage procedures: members get only their own rows.
import { db } from "@/server/db/client";
import { DomainError, domainErrorStatus } from "@/server/domain/errors";
import { systemClock } from "@/server/lib/clock";
import { logger } from "@/server/lib/logger";
import { exportUsageCsv, parseUsageCsvParams } from "@/server/services/usage/csv";
import { usageDeps } from "@/server/services/usage/deps";
import { sessionUser } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

function problem(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status, headers: { "Cache-Control": "no-store" } });
}

export async function GET(req: Request, { params }: { params: Promise<{ teamId: string }> }): Promise<Response> {
  const { teamId } = await params;
  const user = await sessionUser();
  if (!user) return problem(401, "Sign in to continue.");
  const membership = await db().membership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } } });
  if (!membership && !user.isPlatformAdmin) return problem(403, "You are not a member of this team.");
  let csv: Awaited<ReturnType<typeof exportUsageCsv>>;
  try {
    const query = parseUsageCsvParams(new URL(req.url).searchParams);
    csv = await exportUsageCsv(usageDeps(db(), systemClock), { ...query, teamId }, { userId: user.id, role: membership?.role ?? null });
  } catch (e) {
    if (e instanceof DomainError) return problem(domainErrorStatus[e.code], e.message);
    throw e;
  }
  const encoder = new TextEncoder();
  const lines = csv.lines;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        // Headers are gone already: abort the stream so the download fails visibly instead of truncating silently.
        logger.error({ err, teamId }, "usage CSV export failed mid-stream");
        controller.error(err);
      }
    },
    async cancel() {
      await lines.return();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csv.filename}"`,
      "Cache-Control": "no-store",
      "X-Usage-As-Of": csv.asOf.toISOString(),
    },
  });
}
