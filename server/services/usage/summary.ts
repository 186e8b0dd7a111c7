// The numbers at the top of the Usage page: used vs limit, days left, the forecast, and whether
// the team may start workspaces right now. Owners and admins see the team; members see their own
// usage (and only whether the team can start workspaces, not its total).
import { fixedClock } from "../../lib/clock";
import { forecastCycle, type LimitOutlook } from "../../domain/forecast";
import { currentCycleUsage } from "../ledger";
import { decideSpending, type SpendingDenialReason } from "../spending/decide";
import { asOfInstant, type UsageDeps } from "./deps";
import { liveDelta, liveDrafts } from "./live";
import { totalsSql, type EntryWindow, type TotalsRow } from "./queries";
import { cyclePresets, loadUsageScope, type Viewer } from "./scope";

/** The forecast's run rate is the trailing week (or the cycle so far, if shorter). */
export const RUN_RATE_WINDOW_MS = 7 * 86_400_000;

export interface CycleSummary {
  teamName: string;
  timeZone: string;
  /** Every figure is priced at this instant; pass it back to the other usage queries. */
  asOf: Date;
  /** TEAM: the whole team's usage (owners, admins). SELF: the viewer's own usage (members). */
  scope: "TEAM" | "SELF";
  usedCents: bigint;
  limitCents: bigint;
  cycleStart: Date;
  cycleEnd: Date;
  billingStrategy: "FREE" | "STRIPE";
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
  daysLeft: number;
  ratePerDayCents: bigint;
  endOfCycleCents: bigint;
  /** Null for members: the team's outlook depends on the team's total. */
  outlook: LimitOutlook | null;
  runningInstances: number;
  canStart: { allowed: true } | { allowed: false; reason: SpendingDenialReason; message: string };
  cycles: { offset: number; from: Date; to: Date }[];
}

async function storedSum(deps: UsageDeps, w: EntryWindow): Promise<bigint> {
  const rows = await deps.db.$queryRaw<TotalsRow[]>(totalsSql(w));
  return rows[0]?.storedCents ?? 0n;
}

export async function cycleSummary(deps: UsageDeps, teamId: string, viewer: Viewer, requestedAsOf?: Date): Promise<CycleSummary> {
  const scope = await loadUsageScope(deps.db, teamId, viewer);
  const asOf = asOfInstant(deps.clock, requestedAsOf);
  // The same figure the spending check uses (it also performs a due free-cycle reset).
  const team = await currentCycleUsage(deps.db, scope.costCenterId, fixedClock(asOf), deps.pricing);
  const cycle = { cycleStart: team.cycleStart, cycleEnd: team.cycleEnd };
  const filters = scope.selfUserId ? { userId: scope.selfUserId } : {};
  const recentWindow: EntryWindow = {
    costCenterId: scope.costCenterId,
    from: new Date(Math.max(asOf.getTime() - RUN_RATE_WINDOW_MS, cycle.cycleStart.getTime())),
    to: asOf,
    filters,
  };
  const [recentStored, recentDrafts] = await Promise.all([storedSum(deps, recentWindow), liveDrafts(deps.db, recentWindow, asOf, deps.pricing)]);
  const recentCents = recentStored + liveDelta(recentDrafts);

  let usedCents = team.usedCents;
  let runningInstances = team.runningInstances;
  if (scope.selfUserId) {
    const own: EntryWindow = { costCenterId: scope.costCenterId, from: cycle.cycleStart, to: cycle.cycleEnd, filters };
    const [stored, drafts] = await Promise.all([storedSum(deps, own), liveDrafts(deps.db, own, asOf, deps.pricing)]);
    usedCents = stored + liveDelta(drafts);
    runningInstances = drafts.filter((d) => d.startedAt !== null && d.stoppingAt === null && d.stoppedAt === null).length;
  }

  const forecast = forecastCycle({
    usedCents,
    limitCents: team.limitCents,
    cycleStart: cycle.cycleStart,
    cycleEnd: cycle.cycleEnd,
    now: asOf,
    recentCents,
    windowMs: RUN_RATE_WINDOW_MS,
  });
  const decision = decideSpending({
    status: scope.status,
    pastDueSince: scope.pastDueSince,
    usedCents: team.usedCents,
    limitCents: team.limitCents,
    now: asOf,
    pastDueGraceHours: deps.config.raw.pastDueGracePeriodHours,
    stopWorkspacesAtLimit: scope.stopWorkspacesAtLimit,
    stopWorkspacesGraceMinutes: deps.config.raw.stopWorkspacesGraceMinutes,
  });
  return {
    teamName: scope.teamName,
    timeZone: scope.timeZone,
    asOf,
    scope: scope.selfUserId ? "SELF" : "TEAM",
    usedCents,
    limitCents: team.limitCents,
    cycleStart: cycle.cycleStart,
    cycleEnd: cycle.cycleEnd,
    billingStrategy: scope.billingStrategy,
    status: scope.status,
    daysLeft: forecast.daysLeft,
    ratePerDayCents: forecast.ratePerDayCents,
    endOfCycleCents: forecast.endOfCycleCents,
    outlook: scope.selfUserId ? null : forecast.outlook,
    runningInstances,
    canStart: decision.allowed
      ? { allowed: true }
      : { allowed: false, reason: decision.reason ?? "SPENDING_LIMIT_REACHED", message: decision.message ?? "Starting workspaces is paused." },
    cycles: cyclePresets({ ...scope, ...cycle }),
  };
}
