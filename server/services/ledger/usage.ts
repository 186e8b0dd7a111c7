// What a cost center has used in its current cycle: the stored balance (a summary kept in the
// same transaction as every entry, so no ledger scan) plus the live growth of its running
// instances since their drafts were last reconciled. Cheap: one indexed lookup of this cost
// center's running instances.
import type { Db } from "../../db/client";
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

interface RunningRow {
  workspaceClass: string;
  startedAt: Date | null;
  stoppingAt: Date | null;
  entryCents: bigint | null;
  entryDraft: boolean | null;
}

export async function currentCycleUsage(db: Db, costCenterId: string, clock: Clock, pricing: PricingTable): Promise<CycleUsage> {
  await ensureCycleCurrent(db, costCenterId, clock);
  const now = clock.now();
  const cc = await db.costCenter.findUniqueOrThrow({
    where: { id: costCenterId },
    select: { balanceCents: true, spendingLimitCents: true, billingCycleStart: true, nextBillingTime: true },
  });
  // Instances that are still running (no stop yet) or are stopping (runtime already ended, but the
  // entry may not be final yet).
  const running = await db.$queryRaw<RunningRow[]>`
    SELECT i."workspaceClass", i."startedAt", i."stoppingAt", e."creditCents" AS "entryCents", e.draft AS "entryDraft"
    FROM "WorkspaceInstance" i
    LEFT JOIN "UsageEntry" e ON e."instanceId" = i.id
    WHERE i."costCenterId" = ${costCenterId} AND i."stoppedAt" IS NULL`;
  let live = 0n;
  let runningInstances = 0;
  for (const row of running) {
    if (row.startedAt === null) continue;
    if (row.stoppingAt === null) runningInstances += 1;
    if (row.entryDraft === false) continue;
    const priced = priceInstanceCents({ workspaceClass: row.workspaceClass, startedAt: row.startedAt, stoppingAt: row.stoppingAt, stoppedAt: null }, now, pricing);
    const growth = priced.cents - (row.entryCents ?? 0n);
    if (growth > 0n) live += growth;
  }
  return {
    usedCents: cc.balanceCents + live,
    limitCents: cc.spendingLimitCents,
    cycleStart: cc.billingCycleStart,
    cycleEnd: cc.nextBillingTime,
    runningInstances,
  };
}
