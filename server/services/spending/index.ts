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

export async function checkSpending(deps: SpendingDeps, input: SpendingCheckInput): Promise<SpendingCheckAnswer> {
  const rows = await deps.db.$queryRaw<
    { costCenterId: string | null; status: "ACTIVE" | "PAST_DUE" | "BLOCKED" | null; pastDueSince: Date | null; stopWorkspacesAtLimit: boolean }[]
  >`
    SELECT cc."id" AS "costCenterId", cc."status"::text AS "status", cc."pastDueSince", t."stopWorkspacesAtLimit"
    FROM "Team" t LEFT JOIN "CostCenter" cc ON cc."teamId" = t."id"
    WHERE t."id" = ${input.teamId}`;
  const team = rows[0];
  if (!team) throw new DomainError("NOT_FOUND", `Team "${input.teamId}" does not exist.`, [{ field: "teamId", reason: "unknown team" }]);
  if (!team.costCenterId || !team.status) {
    throw new DomainError("NOT_FOUND", `Team "${input.teamId}" has no cost center yet; provision it with PUT /api/v1/teams/${input.teamId}.`, [
      { field: "teamId", reason: "team has no cost center" },
    ]);
  }
  const usage = await currentCycleUsage(deps.db, team.costCenterId, deps.clock, deps.pricing);
  const decision = decideSpending({
    status: team.status,
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
