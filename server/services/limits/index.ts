// Spending limits (SPEC §3.5, §3.4): owners change the team's limit; every change is kept in the
// audit log (who, when, old → new), which is also where the history on the page comes from.
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { parseSpendingLimit } from "../../domain/spending-limit";
import type { Clock } from "../../lib/clock";

export const LIMIT_CHANGED_ACTION = "cost_center.spending_limit_changed";

export interface SpendingLimitView {
  limitCents: bigint;
  billingStrategy: "FREE" | "STRIPE";
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
  stopWorkspacesAtLimit: boolean;
  timeZone: string;
}

export async function getSpendingLimit(db: Db, teamId: string): Promise<SpendingLimitView> {
  const team = await db.team.findUnique({ where: { id: teamId }, include: { costCenter: true } });
  if (!team?.costCenter) throw new DomainError("NOT_FOUND", `Team ${teamId} has no cost center yet.`);
  return {
    limitCents: team.costCenter.spendingLimitCents,
    billingStrategy: team.costCenter.billingStrategy,
    status: team.costCenter.status,
    stopWorkspacesAtLimit: team.stopWorkspacesAtLimit,
    timeZone: team.timeZone,
  };
}

export interface LimitChange {
  changed: boolean;
  beforeCents: bigint;
  afterCents: bigint;
}

/**
 * Sets the limit (credits as typed, e.g. "499.50"). Takes effect at once, also below current
 * usage. On the free plan the free limit follows, so a later downgrade restores this value.
 * Setting the same value again writes nothing.
 */
export async function changeSpendingLimit(
  deps: { db: Db; clock: Clock },
  args: { teamId: string; actorId: string; credits: string | number },
): Promise<LimitChange> {
  const parsed = parseSpendingLimit(args.credits);
  if (!parsed.ok) throw new DomainError("INVALID_INPUT", parsed.reason, [{ field: "credits", reason: parsed.reason }]);
  const afterCents = parsed.cents;
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; spendingLimitCents: bigint; billingStrategy: "FREE" | "STRIPE" }[]>`
      SELECT id, "spendingLimitCents", "billingStrategy"::text AS "billingStrategy" FROM "CostCenter" WHERE "teamId" = ${args.teamId} FOR NO KEY UPDATE`;
    const cc = rows[0];
    if (!cc) throw new DomainError("NOT_FOUND", `Team ${args.teamId} has no cost center yet.`);
    const beforeCents = cc.spendingLimitCents;
    if (beforeCents === afterCents) return { changed: false, beforeCents, afterCents };
    const now = deps.clock.now();
    await tx.costCenter.update({
      where: { id: cc.id },
      data: { spendingLimitCents: afterCents, ...(cc.billingStrategy === "FREE" ? { freeSpendingLimitCents: afterCents } : {}), updatedAt: now },
    });
    await tx.auditLog.create({
      data: {
        actorKind: "USER",
        actorId: args.actorId,
        action: LIMIT_CHANGED_ACTION,
        teamId: args.teamId,
        costCenterId: cc.id,
        targetType: "CostCenter",
        targetId: cc.id,
        before: { spendingLimitCents: beforeCents.toString() },
        after: { spendingLimitCents: afterCents.toString() },
        createdAt: now,
      },
    });
    return { changed: true, beforeCents, afterCents };
  });
}

export interface LimitHistoryItem {
  id: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  beforeCents: bigint | null;
  afterCents: bigint | null;
}

function centsField(json: unknown): bigint | null {
  if (json && typeof json === "object" && "spendingLimitCents" in json) {
    const v = json.spendingLimitCents;
    if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
    if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  }
  return null;
}

/** Newest first; includes changes made by other parts of the system (e.g. a Stripe downgrade). */
export async function spendingLimitHistory(db: Db, teamId: string, limit = 50): Promise<LimitHistoryItem[]> {
  const rows = await db.$queryRaw<
    { id: bigint; createdAt: Date; actorKind: string; actorId: string | null; before: unknown; after: unknown; name: string | null; email: string | null }[]
  >`
    SELECT a.id, a."createdAt", a."actorKind", a."actorId", a.before, a.after, u.name, u.email
    FROM "AuditLog" a
    JOIN "CostCenter" c ON c.id = a."costCenterId" AND c."teamId" = ${teamId}
    LEFT JOIN "User" u ON a."actorKind" = 'USER' AND u.id = a."actorId"
    WHERE a.action = ${LIMIT_CHANGED_ACTION}
    ORDER BY a."createdAt" DESC, a.id DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.createdAt,
    actorKind: r.actorKind,
    actorId: r.actorId,
    actorName: r.name,
    actorEmail: r.email,
    beforeCents: centsField(r.before),
    afterCents: centsField(r.after),
  }));
}
