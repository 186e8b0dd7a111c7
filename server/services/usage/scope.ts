// Who is looking at which team's usage, over which range. Members see only their own usage: the
// scope forces their user id into every usage query, so no procedure can forget it.
import { z } from "zod";
import type { Db } from "../../db/client";
import { addMonthsClamped, cycleIndexAt } from "../../domain/billing-cycle";
import { DomainError } from "../../domain/errors";
import { isCalendarDay, nextDay, startOfZonedDay } from "../../domain/time-zone";

export interface Viewer {
  userId: string;
  /** The viewer's role in the team; null for a platform admin who is not a member. */
  role: "OWNER" | "MEMBER" | null;
}

export interface UsageScope {
  teamId: string;
  teamName: string;
  timeZone: string;
  costCenterId: string;
  cycleAnchor: Date;
  cycleStart: Date;
  cycleEnd: Date;
  billingStrategy: "FREE" | "STRIPE";
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
  pastDueSince: Date | null;
  stopWorkspacesAtLimit: boolean;
  /** Set for members: every usage query is limited to this user's entries. */
  selfUserId: string | null;
}

export async function loadUsageScope(db: Db, teamId: string, viewer: Viewer): Promise<UsageScope> {
  // One round trip: every usage query starts here, so it stays a single indexed join.
  const rows = await db.$queryRaw<
    (Omit<UsageScope, "selfUserId" | "costCenterId"> & { costCenterId: string | null })[]
  >`
    SELECT t.id AS "teamId", t.name AS "teamName", t."timeZone", t."stopWorkspacesAtLimit", c.id AS "costCenterId",
           c."cycleAnchor", c."billingCycleStart" AS "cycleStart", c."nextBillingTime" AS "cycleEnd",
           c."billingStrategy"::text AS "billingStrategy", c.status::text AS status, c."pastDueSince"
    FROM "Team" t LEFT JOIN "CostCenter" c ON c."teamId" = t.id
    WHERE t.id = ${teamId}`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", `Team ${teamId} does not exist.`);
  const { costCenterId } = row;
  if (!costCenterId) throw new DomainError("NOT_FOUND", `Team ${row.teamName} has no cost center yet.`);
  return { ...row, costCenterId, selfUserId: viewer.role === "MEMBER" ? viewer.userId : null };
}

const calendarDay = z.string().refine(isCalendarDay, "a calendar day as YYYY-MM-DD");

/** A date range preset: a billing cycle (0 = current, 1 = previous, …) or custom calendar days. */
export const usageRangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cycle"), offset: z.number().int().min(0).max(36) }),
  z
    .object({ kind: z.literal("custom"), fromDay: calendarDay, toDay: calendarDay })
    .refine((r) => r.fromDay <= r.toDay, { message: "the first day must not be after the last day", path: ["toDay"] }),
]);
export type UsageRange = z.infer<typeof usageRangeSchema>;

export const usageFiltersSchema = z.object({
  userId: z.string().min(1).max(200).optional(),
  workspaceClass: z.string().min(1).max(100).optional(),
});
export type UsageFilters = z.infer<typeof usageFiltersSchema>;

/** The filters a query really uses: a member's own user id replaces whatever was asked for. */
export function effectiveFilters(scope: UsageScope, filters: UsageFilters): UsageFilters {
  return scope.selfUserId ? { ...filters, userId: scope.selfUserId } : filters;
}

export interface ResolvedRange {
  from: Date;
  to: Date;
}

/** The cycle `offset` cycles before the current one. */
export function cycleByOffset(scope: Pick<UsageScope, "cycleAnchor" | "cycleStart" | "cycleEnd">, offset: number): ResolvedRange {
  let range: ResolvedRange = { from: scope.cycleStart, to: scope.cycleEnd };
  for (let k = 0; k < offset; k += 1) {
    // Earlier cycles follow the anchor; the cycle before a Stripe period ends where that period starts.
    const end = range.from;
    const start = addMonthsClamped(scope.cycleAnchor, cycleIndexAt(scope.cycleAnchor, new Date(end.getTime() - 1)));
    range = { from: start, to: end };
  }
  return range;
}

/** Custom ranges are whole calendar days in the team's zone, the last day included. */
export function resolveRange(scope: UsageScope, range: UsageRange): ResolvedRange {
  if (range.kind === "cycle") return cycleByOffset(scope, range.offset);
  return { from: startOfZonedDay(range.fromDay, scope.timeZone), to: startOfZonedDay(nextDay(range.toDay), scope.timeZone) };
}

/** The current and previous cycles the range picker offers (those that started after the anchor). */
export function cyclePresets(scope: UsageScope, max = 6): { offset: number; from: Date; to: Date }[] {
  const presets: { offset: number; from: Date; to: Date }[] = [];
  for (let offset = 0; offset < max; offset += 1) {
    const r = cycleByOffset(scope, offset);
    if (offset > 0 && r.to.getTime() <= scope.cycleAnchor.getTime()) break;
    presets.push({ offset, ...r });
  }
  return presets;
}
