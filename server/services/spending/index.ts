// The spending check the workspace platform calls before every start (SPEC §3.5, §5).
// Two reads in the common case: the team with its cost center, then the cycle's usage (which
// includes running instances' live credits and performs a due cycle reset lazily).
import { z } from "zod";
import type { AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { centsToCredits } from "../../domain/money";
import type { PricingTable } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";
import { currentCycleUsage } from "../ledger";
import { teamIdSchema } from "../teams/provision";
import { decideSpending, type SpendingDenialReason } from "./decide";

export const spendingCheckSchema = z.strictObject({
  teamId: teamIdSchema,
  workspaceClass: z.string().min(1).max(100).optional(),
});

export type SpendingCheckInput = z.infer<typeof spendingCheckSchema>;

export interface SpendingCheckAnswer {
  allowed: boolean;
  reason?: SpendingDenialReason;
  usedCredits: number;
  limitCredits: number;
  remainingCredits: number;
  cycleEndsAt: string;
  /** Extras beyond the spec's fields: what the owner can do, and the optional stop hint. */
  message?: string;
  stopRunningWorkspacesAfterSeconds?: number;
}

export interface SpendingDeps {
  db: Db;
  clock: Clock;
  config: AppConfig;
  pricing: PricingTable;
}

interface TeamState {
  costCenterId: string | null;
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED" | null;
  pastDueSince: Date | null;
  stopWorkspacesAtLimit: boolean;
}

// A team's cost center id never changes (one per team, unique on teamId), so it is remembered:
// with it, the team's state and the cycle usage are read in parallel instead of one after the other.
const costCenterIdByTeam = new Map<string, string>();
const MAX_CACHED_TEAMS = 100_000;

async function readTeamState(db: Db, teamId: string): Promise<TeamState | undefined> {
  const rows = await db.$queryRaw<TeamState[]>`
    SELECT cc."id" AS "costCenterId", cc."status"::text AS "status", cc."pastDueSince", t."stopWorkspacesAtLimit"
    FROM "Team" t LEFT JOIN "CostCenter" cc ON cc."teamId" = t."id"
    WHERE t."id" = ${teamId}`;
  return rows[0];
}

function notFound(teamId: string): DomainError {
  return new DomainError("NOT_FOUND", `Team "${teamId}" does not exist.`, [{ field: "teamId", reason: "unknown team" }]);
}

function noCostCenter(teamId: string): DomainError {
  return new DomainError("NOT_FOUND", `Team "${teamId}" has no cost center yet; provision it with PUT /api/v1/teams/${teamId}.`, [
    { field: "teamId", reason: "team has no cost center" },
  ]);
}

type Usage = Awaited<ReturnType<typeof currentCycleUsage>>;

/** The team's state and its cycle usage: in parallel when the cost center id is known. */
async function loadTeamAndUsage(deps: SpendingDeps, teamId: string): Promise<{ team: TeamState & { costCenterId: string; status: NonNullable<TeamState["status"]> }; usage: Usage }> {
  const known = costCenterIdByTeam.get(teamId);
  const [stateResult, usageResult] = await Promise.allSettled([
    readTeamState(deps.db, teamId),
    known ? currentCycleUsage(deps.db, known, deps.clock, deps.pricing) : Promise.resolve(null),
  ]);
  if (stateResult.status === "rejected") throw stateResult.reason;
  const team = stateResult.value;
  if (!team) throw notFound(teamId);
  const { costCenterId, status } = team;
  if (!costCenterId || !status) throw noCostCenter(teamId);
  if (known === costCenterId) {
    if (usageResult.status === "rejected") throw usageResult.reason;
    if (usageResult.value) return { team: { ...team, costCenterId, status }, usage: usageResult.value };
  }
  // First check for this team (or a database recreated under a running app): remember the id.
  if (costCenterIdByTeam.size >= MAX_CACHED_TEAMS) costCenterIdByTeam.clear();
  costCenterIdByTeam.set(teamId, costCenterId);
  return { team: { ...team, costCenterId, status }, usage: await currentCycleUsage(deps.db, costCenterId, deps.clock, deps.pricing) };
}

export async function checkSpending(deps: SpendingDeps, input: SpendingCheckInput): Promise<SpendingCheckAnswer> {
  const { team, usage } = await loadTeamAndUsage(deps, input.teamId);
  const status = team.status;
  const decision = decideSpending({
    status,
    pastDueSince: team.pastDueSince,
    usedCents: usage.usedCents,
    limitCents: usage.limitCents,
    now: deps.clock.now(),
    pastDueGraceHours: deps.config.raw.pastDueGracePeriodHours,
    stopWorkspacesAtLimit: team.stopWorkspacesAtLimit,
    stopWorkspacesGraceMinutes: deps.config.raw.stopWorkspacesGraceMinutes,
  });
  return {
    allowed: decision.allowed,
    ...(decision.reason ? { reason: decision.reason } : {}),
    usedCredits: centsToCredits(usage.usedCents),
    limitCredits: centsToCredits(usage.limitCents),
    remainingCredits: centsToCredits(decision.remainingCents),
    cycleEndsAt: usage.cycleEnd.toISOString(),
    ...(decision.message ? { message: decision.message } : {}),
    ...(decision.stopRunningWorkspacesAfterSeconds === undefined ? {} : { stopRunningWorkspacesAfterSeconds: decision.stopRunningWorkspacesAfterSeconds }),
  };
}
