// The spending check the workspace platform calls before every start (SPEC §3.5, §5).
// One read in the common case: the team, its cost center and its running instances together (the
// cycle's usage includes running instances' live credits; a due cycle reset is performed lazily).
import { z } from "zod";
import type { AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";
import { centsToCredits } from "../../domain/money";
import type { PricingTable } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";
import { teamCycleUsage } from "../ledger";
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

function notFound(teamId: string): DomainError {
  return new DomainError("NOT_FOUND", `Team "${teamId}" does not exist.`, [{ field: "teamId", reason: "unknown team" }]);
}

function noCostCenter(teamId: string): DomainError {
  return new DomainError("NOT_FOUND", `Team "${teamId}" has no cost center yet; provision it with PUT /api/v1/teams/${teamId}.`, [
    { field: "teamId", reason: "team has no cost center" },
  ]);
}

/** The team's state and its cycle usage, in one statement unless a cycle reset is due. */
async function loadTeamAndUsage(deps: SpendingDeps, teamId: string) {
  const found = await teamCycleUsage(deps.db, teamId, deps.clock, deps.pricing);
  if (!found) throw notFound(teamId);
  const { team, usage } = found;
  if (!usage || !team.status) throw noCostCenter(teamId);
  return { team: { ...team, status: team.status }, usage };
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
