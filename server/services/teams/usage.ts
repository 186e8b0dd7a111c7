// A team's usage entries for the machine API (GET /api/v1/teams/{teamId}/usage): entries whose
// effective time is in [from, to), newest first, keyset-paginated on (effectiveAt, id) — the order
// of the index UsageEntry(costCenterId, effectiveAt DESC, id DESC), so every page is one index
// range scan however deep. The cursor is opaque (base64url JSON of the last row's sort key).
// `creditCents` is sent as a JSON number: exact for |cents| < 2^53 (90 trillion credits).
import { z } from "zod";
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { centsToCredits } from "../../domain/money";

export const DEFAULT_USAGE_PAGE = 100;
export const MAX_USAGE_PAGE = 1000;

const isoDateTime = z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time with a time zone, e.g. 2026-03-01T00:00:00Z" });

export const usageQuerySchema = z
  .strictObject({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(1, "must be at least 1").max(MAX_USAGE_PAGE, `must be at most ${MAX_USAGE_PAGE}`))
      .optional(),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) <= new Date(q.to), { message: "must not be before from", path: ["to"] });

export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface UsageEntryView {
  id: string;
  kind: "WORKSPACE" | "CYCLE_RESET" | "INVOICE" | "CREDIT_NOTE";
  instanceId?: string;
  workspaceClass?: string;
  userId?: string;
  startedAt?: string;
  stoppedAt?: string;
  draft: boolean;
  creditCents: number;
  credits: number;
  effectiveAt: string;
  description?: string;
}

interface Cursor {
  effectiveAt: Date;
  id: bigint;
}

export function encodeUsageCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ e: c.effectiveAt.toISOString(), i: c.id.toString() })).toString("base64url");
}

export function decodeUsageCursor(text: string): Cursor {
  const invalid = () => new DomainError("INVALID_INPUT", "The cursor is not one this API returned.", [{ field: "cursor", reason: "invalid cursor" }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const shape = z.object({ e: z.iso.datetime(), i: z.string().regex(/^\d{1,19}$/) }).safeParse(parsed);
  if (!shape.success) throw invalid();
  return { effectiveAt: new Date(shape.data.e), id: BigInt(shape.data.i) };
}

interface Row {
  id: bigint;
  kind: UsageEntryView["kind"];
  instanceId: string | null;
  workspaceClass: string | null;
  userId: string | null;
  startedAt: Date | null;
  stoppedAt: Date | null;
  draft: boolean;
  creditCents: bigint;
  effectiveAt: Date;
  description: string | null;
}

export async function listTeamUsage(db: Db, teamId: string, query: UsageQuery): Promise<{ entries: UsageEntryView[]; nextCursor?: string }> {
  const cc = await db.costCenter.findUnique({ where: { teamId }, select: { id: true } });
  if (!cc) {
    const team = await db.team.findUnique({ where: { id: teamId }, select: { id: true } });
    if (!team) throw new DomainError("NOT_FOUND", `Team "${teamId}" does not exist.`, [{ field: "teamId", reason: "unknown team" }]);
    return { entries: [] };
  }
  const limit = query.limit ?? DEFAULT_USAGE_PAGE;
  const cursor = query.cursor ? decodeUsageCursor(query.cursor) : null;
  // Unbounded ends are wide sentinels so the statement (and its plan) is one shape.
  const from = query.from ? new Date(query.from) : new Date("1970-01-01T00:00:00Z");
  const to = query.to ? new Date(query.to) : new Date("9999-01-01T00:00:00Z");
  const afterTime = cursor?.effectiveAt ?? new Date("9999-12-31T00:00:00Z");
  const afterId = cursor?.id ?? 9223372036854775807n;
  const rows = await db.$queryRaw<Row[]>`
    SELECT "id", "kind"::text AS "kind", "instanceId", "workspaceClass", "userId", "startedAt", "stoppedAt", "draft",
           "creditCents", "effectiveAt", "description"
    FROM "UsageEntry"
    WHERE "costCenterId" = ${cc.id}
      AND "effectiveAt" >= ${from} AND "effectiveAt" < ${to}
      AND ("effectiveAt", "id") < (${afterTime}, ${afterId})
    ORDER BY "effectiveAt" DESC, "id" DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(toView),
    ...(rows.length > limit && last ? { nextCursor: encodeUsageCursor({ effectiveAt: last.effectiveAt, id: last.id }) } : {}),
  };
}

function toView(r: Row): UsageEntryView {
  return {
    id: r.id.toString(),
    kind: r.kind,
    ...(r.instanceId ? { instanceId: r.instanceId } : {}),
    ...(r.workspaceClass ? { workspaceClass: r.workspaceClass } : {}),
    ...(r.userId ? { userId: r.userId } : {}),
    ...(r.startedAt ? { startedAt: r.startedAt.toISOString() } : {}),
    ...(r.stoppedAt ? { stoppedAt: r.stoppedAt.toISOString() } : {}),
    draft: r.draft,
    creditCents: Number(r.creditCents),
    credits: centsToCredits(r.creditCents),
    effectiveAt: r.effectiveAt.toISOString(),
    ...(r.description ? { description: r.description } : {}),
  };
}
