// What a cost center has used in its current cycle: the stored balance (a summary kept in the
// same transaction as every entry, so no ledger scan) plus the live growth of its running
// instances since their drafts were last reconciled. One indexed statement reads the cost center
// (and its team's state) together with its running instances; a cycle that is due is reset
// lazily first.
import type { Db } from "../../db/client";
import { poolSql } from "../../db/sql";
import { priceInstanceCents, type PricingTable } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";
import { ensureCycleCurrent } from "./cycles";

export interface CycleUsage {
  usedCents: bigint;
  limitCents: bigint;
  cycleStart: Date;
  cycleEnd: Date;
  runningInstances: number;
}

/** The team and its cost center as the spending check needs them. */
export interface CostCenterState {
  teamId: string;
  stopWorkspacesAtLimit: boolean;
  /** Null when the team has no cost center yet (then every other cost center field is null too). */
  costCenterId: string | null;
  billingStrategy: "FREE" | "STRIPE" | null;
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED" | null;
  pastDueSince: Date | null;
}

// One row per instance that is still running (no stop yet) or stopping (runtime already ended,
// but the entry may not be final yet), or a single row with null instance fields when none is.
interface StateRow extends CostCenterState {
  balanceCents: string | null;
  spendingLimitCents: string | null;
  billingCycleStart: Date | null;
  nextBillingTime: Date | null;
  workspaceClass: string | null;
  startedAt: Date | null;
  stoppingAt: Date | null;
  entryCents: string | null;
  entryDraft: boolean | null;
}

const stateSql = (key: "t.id" | "cc.id") => `
  SELECT t.id AS "teamId", t."stopWorkspacesAtLimit", cc.id AS "costCenterId", cc."billingStrategy"::text AS "billingStrategy",
         cc.status::text AS status, cc."pastDueSince", cc."balanceCents", cc."spendingLimitCents", cc."billingCycleStart", cc."nextBillingTime",
         i."workspaceClass", i."startedAt", i."stoppingAt", e."creditCents" AS "entryCents", e.draft AS "entryDraft"
  FROM "Team" t
  ${key === "t.id" ? "LEFT JOIN" : "JOIN"} "CostCenter" cc ON cc."teamId" = t.id
  LEFT JOIN "WorkspaceInstance" i ON i."costCenterId" = cc.id AND i."stoppedAt" IS NULL
  LEFT JOIN "UsageEntry" e ON e."instanceId" = i.id
  WHERE ${key} = $1`;
const STATE_BY_TEAM = stateSql("t.id");
const STATE_BY_COST_CENTER = stateSql("cc.id");

function isDue(row: StateRow, now: Date): boolean {
  return row.billingStrategy === "FREE" && row.nextBillingTime !== null && row.nextBillingTime.getTime() <= now.getTime();
}

function usageOf(rows: readonly StateRow[], now: Date, pricing: PricingTable): CycleUsage {
  const first = rows[0];
  if (!first?.costCenterId || first.balanceCents === null || first.spendingLimitCents === null || !first.billingCycleStart || !first.nextBillingTime) {
    throw new Error("cycle usage read without a cost center");
  }
  let live = 0n;
  let runningInstances = 0;
  for (const row of rows) {
    if (row.startedAt === null || row.workspaceClass === null) continue;
    if (row.stoppingAt === null) runningInstances += 1;
    if (row.entryDraft === false) continue;
    const priced = priceInstanceCents({ workspaceClass: row.workspaceClass, startedAt: row.startedAt, stoppingAt: row.stoppingAt, stoppedAt: null }, now, pricing);
    const growth = priced.cents - BigInt(row.entryCents ?? 0);
    if (growth > 0n) live += growth;
  }
  return {
    usedCents: BigInt(first.balanceCents) + live,
    limitCents: BigInt(first.spendingLimitCents),
    cycleStart: first.billingCycleStart,
    cycleEnd: first.nextBillingTime,
    runningInstances,
  };
}

async function readState(db: Db, by: "team" | "costCenter", id: string, clock: Clock): Promise<StateRow[]> {
  const sql = poolSql(db);
  const text = by === "team" ? STATE_BY_TEAM : STATE_BY_COST_CENTER;
  const rows = await sql.query<StateRow>(text, [id]);
  const first = rows[0];
  if (!first?.costCenterId || !isDue(first, clock.now())) return rows;
  await ensureCycleCurrent(db, first.costCenterId, clock);
  return sql.query<StateRow>(text, [id]);
}

export async function currentCycleUsage(db: Db, costCenterId: string, clock: Clock, pricing: PricingTable): Promise<CycleUsage> {
  const rows = await readState(db, "costCenter", costCenterId, clock);
  if (rows.length === 0) throw new Error(`cost center ${costCenterId} does not exist`);
  return usageOf(rows, clock.now(), pricing);
}

/**
 * The team's state and, when it has a cost center, that cost center's cycle usage: one statement
 * in the common case (the spending check's hot path). Undefined for an unknown team.
 */
export async function teamCycleUsage(
  db: Db,
  teamId: string,
  clock: Clock,
  pricing: PricingTable,
): Promise<{ team: CostCenterState; usage: CycleUsage | null } | undefined> {
  const rows = await readState(db, "team", teamId, clock);
  const first = rows[0];
  if (!first) return undefined;
  const team: CostCenterState = {
    teamId: first.teamId,
    stopWorkspacesAtLimit: first.stopWorkspacesAtLimit,
    costCenterId: first.costCenterId,
    billingStrategy: first.billingStrategy,
    status: first.status,
    pastDueSince: first.pastDueSince,
  };
  return { team, usage: first.costCenterId ? usageOf(rows, clock.now(), pricing) : null };
}
