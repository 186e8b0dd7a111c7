// The numbers at the top of the Usage page.
import type { Db } from "../../db/client";
import { DomainError } from "../../domain/errors";

export interface CycleSummary {
  teamName: string;
  usedCents: bigint;
  limitCents: bigint;
  cycleStart: Date;
  cycleEnd: Date;
  billingStrategy: "FREE" | "STRIPE";
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
}

export async function cycleSummary(db: Db, teamId: string): Promise<CycleSummary> {
  const team = await db.team.findUnique({ where: { id: teamId }, include: { costCenter: true } });
  if (!team?.costCenter) throw new DomainError("NOT_FOUND", `Team ${teamId} has no cost center yet.`);
  const cc = team.costCenter;
  return {
    teamName: team.name,
    usedCents: cc.balanceCents,
    limitCents: cc.spendingLimitCents,
    cycleStart: cc.billingCycleStart,
    cycleEnd: cc.nextBillingTime,
    billingStrategy: cc.billingStrategy,
    status: cc.status,
  };
}
