// Platform admin tools (SPEC §1, §6): find any team, look at its cost center and ledger, grant
// credits, block/unblock, see job runs. Authorisation is the caller's job (adminProcedure).
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { creditsToCents } from "../../domain/money";
import type { Clock } from "../../lib/clock";
import { grantCreditNote } from "../ledger";

export interface AdminTeamRow {
  id: string;
  name: string;
  billingStrategy: "FREE" | "STRIPE" | null;
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED" | null;
  balanceCents: bigint | null;
  limitCents: bigint | null;
  members: number;
}

/** Teams whose id, name or a member's email contains the query (all teams, by name, when empty). */
export async function searchTeams(db: Db, query: string, limit = 50): Promise<AdminTeamRow[]> {
  const q = query.trim();
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.$queryRaw<AdminTeamRow[]>`
    SELECT t.id, t.name, c."billingStrategy"::text AS "billingStrategy", c.status::text AS status,
           c."balanceCents", c."spendingLimitCents" AS "limitCents",
           (SELECT count(*)::int FROM "Membership" m WHERE m."teamId" = t.id) AS members
    FROM "Team" t LEFT JOIN "CostCenter" c ON c."teamId" = t.id
    WHERE ${q} = '' OR t.id ILIKE ${pattern} OR t.name ILIKE ${pattern}
       OR EXISTS (SELECT 1 FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."teamId" = t.id AND u.email ILIKE ${pattern})
    ORDER BY t.name, t.id
    LIMIT ${limit}`;
}

export interface AdminTeamDetail {
  id: string;
  name: string;
  timeZone: string;
  createdAt: Date;
  costCenter: {
    id: string;
    billingStrategy: "FREE" | "STRIPE";
    status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
    pastDueSince: Date | null;
    balanceCents: bigint;
    spendingLimitCents: bigint;
    freeSpendingLimitCents: bigint;
    billingCycleStart: Date;
    nextBillingTime: Date;
    currency: string | null;
  } | null;
  owners: { userId: string; name: string | null; email: string | null }[];
  memberCount: number;
}

export async function adminTeamDetail(db: Db, teamId: string): Promise<AdminTeamDetail> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    include: { costCenter: true, memberships: { include: { user: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!team) throw new DomainError("NOT_FOUND", `Team ${teamId} does not exist.`);
  const cc = team.costCenter;
  return {
    id: team.id,
    name: team.name,
    timeZone: team.timeZone,
    createdAt: team.createdAt,
    costCenter: cc
      ? {
          id: cc.id,
          billingStrategy: cc.billingStrategy,
          status: cc.status,
          pastDueSince: cc.pastDueSince,
          balanceCents: cc.balanceCents,
          spendingLimitCents: cc.spendingLimitCents,
          freeSpendingLimitCents: cc.freeSpendingLimitCents,
          billingCycleStart: cc.billingCycleStart,
          nextBillingTime: cc.nextBillingTime,
          currency: cc.currency,
        }
      : null,
    owners: team.memberships.filter((m) => m.role === "OWNER").map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email })),
    memberCount: team.memberships.length,
  };
}

export interface LedgerRow {
  id: string;
  kind: "WORKSPACE" | "CYCLE_RESET" | "INVOICE" | "CREDIT_NOTE";
  creditCents: bigint;
  draft: boolean;
  effectiveAt: Date;
  description: string | null;
  instanceId: string | null;
  userId: string | null;
  workspaceClass: string | null;
  createdById: string | null;
  createdByName: string | null;
}

/** The cost center's ledger, newest first, keyset-paginated by (effectiveAt, id); optionally one kind. */
export async function adminLedger(
  db: Db,
  args: { teamId: string; kind?: LedgerRow["kind"]; cursor?: string; limit: number },
): Promise<{ rows: LedgerRow[]; nextCursor: string | null }> {
  const cc = await db.costCenter.findUnique({ where: { teamId: args.teamId }, select: { id: true } });
  if (!cc) throw new DomainError("NOT_FOUND", `Team ${args.teamId} has no cost center yet.`);
  const after = args.cursor ? parseLedgerCursor(args.cursor) : null;
  const limit = Math.min(Math.max(args.limit, 1), 200);
  const rows = await db.$queryRaw<(Omit<LedgerRow, "id"> & { id: bigint })[]>`
    SELECT e.id, e.kind::text AS kind, e."creditCents", e.draft, e."effectiveAt", e.description, e."instanceId", e."userId",
           e."workspaceClass", e."createdById", u.name AS "createdByName"
    FROM "UsageEntry" e LEFT JOIN "User" u ON u.id = e."createdById"
    WHERE e."costCenterId" = ${cc.id}
      AND (${args.kind ?? null}::text IS NULL OR e.kind::text = ${args.kind ?? null}::text)
      AND (${after?.at ?? null}::timestamptz IS NULL OR (e."effectiveAt", e.id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? "0"}::bigint))
    ORDER BY e."effectiveAt" DESC, e.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({ ...r, id: r.id.toString() })),
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.effectiveAt.toISOString()}|${last.id.toString()}`).toString("base64url") : null,
  };
}

function parseLedgerCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || !/^\d{1,19}$/.test(id) || Number.isNaN(date.getTime())) throw new DomainError("INVALID_INPUT", "The page cursor is not valid.");
  return { at: date, id };
}

/** Grants credits (a CREDIT_NOTE entry) to the team. The idempotency key makes a double submit harmless. */
export async function grantCredits(
  deps: { db: Db; clock: Clock },
  args: { teamId: string; credits: string; reason: string; actorId: string; requestId: string },
): Promise<{ created: boolean; creditCents: bigint }> {
  let cents: bigint;
  try {
    cents = creditsToCents(args.credits);
  } catch {
    throw new DomainError("INVALID_INPUT", "Enter credits with at most two decimals, e.g. 100 or 12.50.", [{ field: "credits", reason: "not a credit amount" }]);
  }
  const cc = await deps.db.costCenter.findUnique({ where: { teamId: args.teamId }, select: { id: true } });
  if (!cc) throw new DomainError("NOT_FOUND", `Team ${args.teamId} has no cost center yet.`);
  const result = await grantCreditNote(
    deps.db,
    { costCenterId: cc.id, creditCents: cents, reason: args.reason, authorId: args.actorId, idempotencyKey: `credit-note:${cc.id}:${args.requestId}` },
    deps.clock,
  );
  return { created: result.created, creditCents: cents };
}

/** Blocks (dispute, abuse) or unblocks a team. Unblocking returns to PAST_DUE if a payment is still overdue. */
export async function setTeamBlocked(
  deps: { db: Db; clock: Clock },
  args: { teamId: string; blocked: boolean; reason: string; actorId: string },
): Promise<{ status: "ACTIVE" | "PAST_DUE" | "BLOCKED"; changed: boolean }> {
  const reason = args.reason.trim();
  if (!reason) throw new DomainError("INVALID_INPUT", "Say why, for the audit log.", [{ field: "reason", reason: "is required" }]);
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; status: "ACTIVE" | "PAST_DUE" | "BLOCKED"; pastDueSince: Date | null }[]>`
      SELECT id, status::text AS status, "pastDueSince" FROM "CostCenter" WHERE "teamId" = ${args.teamId} FOR NO KEY UPDATE`;
    const cc = rows[0];
    if (!cc) throw new DomainError("NOT_FOUND", `Team ${args.teamId} has no cost center yet.`);
    const next = args.blocked ? "BLOCKED" : cc.status !== "BLOCKED" ? cc.status : cc.pastDueSince ? "PAST_DUE" : "ACTIVE";
    if (next === cc.status) return { status: cc.status, changed: false };
    await tx.costCenter.update({ where: { id: cc.id }, data: { status: next, updatedAt: deps.clock.now() } });
    await tx.auditLog.create({
      data: {
        actorKind: "USER",
        actorId: args.actorId,
        action: "cost_center.status_changed",
        teamId: args.teamId,
        costCenterId: cc.id,
        targetType: "CostCenter",
        targetId: cc.id,
        before: { status: cc.status },
        after: { status: next, reason },
      },
    });
    return { status: next, changed: true };
  });
}

export interface JobRunRow {
  id: string;
  job: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  outcome: "RUNNING" | "SUCCEEDED" | "FAILED";
  counts: unknown;
  error: string | null;
}

export async function listJobRuns(db: Db, args: { job?: string; outcome?: JobRunRow["outcome"]; cursor?: string; limit: number }): Promise<{ rows: JobRunRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(args.limit, 1), 200);
  if (args.cursor !== undefined && !/^\d{1,19}$/.test(args.cursor)) throw new DomainError("INVALID_INPUT", "The page cursor is not valid.");
  const runs = await db.jobRun.findMany({
    where: { ...(args.job ? { job: args.job } : {}), ...(args.outcome ? { outcome: args.outcome } : {}), ...(args.cursor ? { id: { lt: BigInt(args.cursor) } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = runs.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      id: r.id.toString(),
      job: r.job,
      trigger: r.trigger,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
      outcome: r.outcome,
      counts: r.counts,
      error: r.error,
    })),
    nextCursor: runs.length > limit && last ? last.id.toString() : null,
  };
}

/** The job names that have runs, for the filter. */
export async function jobNames(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ job: string }[]>`SELECT DISTINCT job FROM "JobRun" ORDER BY job`;
  return rows.map((r) => r.job);
}
