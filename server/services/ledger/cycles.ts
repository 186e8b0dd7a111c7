// Free cycle resets (SPEC §3.4). When a FREE cost center's cycle has ended, one CYCLE_RESET entry
// per elapsed cycle forgives that cycle's usage up to the spending limit (usage beyond it carries
// over), and the cycle advances — catching up any number of cycles missed while the worker was down.
//
// Which usage belongs to a closed cycle: entries whose effectiveAt (an instance's start) is before
// the cycle's end. So the balance to forgive at the end of cycle k is the current balance minus
// entries effective at or after end_k, plus the resets already written for earlier cycles in this
// catch-up. A live worker and one catching up after an outage therefore forgive the same amounts.
// When there is nothing to forgive (balance ≤ 0, or a zero limit) no entry is written; the cycle
// still advances. Exactly once: the cost-center row is locked and re-checked, and the entry's key
// `reset:<costCenterId>:<cycleStart ISO>` is unique.
import type { Db, Tx } from "../../db/client";
import { cycleContaining, elapsedCycles } from "../../domain/billing-cycle";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";

const RESET_BATCH = 500;

export function resetKey(costCenterId: string, cycleStart: Date): string {
  return `reset:${costCenterId}:${cycleStart.toISOString()}`;
}

interface DueRow {
  id: string;
  cycleAnchor: Date;
  billingCycleStart: Date;
  nextBillingTime: Date;
  balanceCents: bigint;
  spendingLimitCents: bigint;
}

interface PlannedReset {
  costCenterId: string;
  key: string;
  creditCents: bigint;
  effectiveAt: Date;
}

export type ResetCounts = {
  costCenters: number;
  cycles: number;
  entries: number;
  forgivenCents: number;
};

/** Locks due FREE cost centers (all due ones after `afterId`, or only `onlyId`) and resets them. */
async function resetLocked(tx: Tx, now: Date, select: { afterId: string } | { onlyId: string }): Promise<ResetCounts & { lastId: string | null }> {
  const due =
    "onlyId" in select
      ? await tx.$queryRaw<DueRow[]>`
          SELECT id, "cycleAnchor", "billingCycleStart", "nextBillingTime", "balanceCents", "spendingLimitCents"
          FROM "CostCenter"
          WHERE id = ${select.onlyId} AND "billingStrategy" = 'FREE' AND "nextBillingTime" <= ${now}::timestamptz
          FOR NO KEY UPDATE`
      : await tx.$queryRaw<DueRow[]>`
          SELECT id, "cycleAnchor", "billingCycleStart", "nextBillingTime", "balanceCents", "spendingLimitCents"
          FROM "CostCenter"
          WHERE "billingStrategy" = 'FREE' AND "nextBillingTime" <= ${now}::timestamptz AND id > ${select.afterId}
          ORDER BY id LIMIT ${RESET_BATCH}
          FOR NO KEY UPDATE`;
  const counts = { costCenters: 0, cycles: 0, entries: 0, forgivenCents: 0, lastId: null as string | null };
  if (due.length === 0) return counts;
  // The row lock's re-check guarantees these are still due; the cycles to close follow from them.
  const plans = due.map((cc) => ({ cc, cycles: elapsedCycles(cc.cycleAnchor, cc.billingCycleStart, cc.nextBillingTime, now) }));
  const pairs = plans.flatMap(({ cc, cycles }) => cycles.map((c, idx) => ({ id: cc.id, idx, end: c.end })));
  const later = await tx.$queryRaw<{ id: string; idx: number; cents: bigint }[]>`
    SELECT b.id, b.idx, COALESCE(SUM(e."creditCents"), 0)::bigint AS cents
    FROM unnest(${pairs.map((p) => p.id)}::text[], ${pairs.map((p) => p.idx)}::int[], ${pairs.map((p) => p.end.toISOString())}::timestamptz[])
      AS b(id, idx, end_at)
    LEFT JOIN "UsageEntry" e ON e."costCenterId" = b.id AND e."effectiveAt" >= b.end_at
    GROUP BY b.id, b.idx`;
  const laterByPair = new Map(later.map((r) => [`${r.id}#${r.idx}`, r.cents]));

  const resets: PlannedReset[] = [];
  const advances: { id: string; start: Date; next: Date }[] = [];
  for (const { cc, cycles } of plans) {
    let writtenSoFar = 0n;
    cycles.forEach((cycle, idx) => {
      const balanceAtEnd = cc.balanceCents - (laterByPair.get(`${cc.id}#${idx}`) ?? 0n) + writtenSoFar;
      const forgive = balanceAtEnd <= 0n ? 0n : balanceAtEnd < cc.spendingLimitCents ? balanceAtEnd : cc.spendingLimitCents;
      if (forgive > 0n) {
        resets.push({ costCenterId: cc.id, key: resetKey(cc.id, cycle.start), creditCents: -forgive, effectiveAt: cycle.end });
        writtenSoFar -= forgive;
      }
    });
    const last = cycles[cycles.length - 1];
    if (!last) continue;
    advances.push({ id: cc.id, start: last.end, next: cycleContaining(cc.cycleAnchor, last.end).end });
    counts.costCenters += 1;
    counts.cycles += cycles.length;
  }

  if (resets.length) {
    const inserted = await tx.$queryRaw<{ n: bigint; cents: bigint | null }[]>`
      WITH ins AS (
        INSERT INTO "UsageEntry" ("costCenterId", kind, "idempotencyKey", "creditCents", draft, "effectiveAt", description)
        SELECT r.cc, 'CYCLE_RESET', r.key, r.cents, false, r.eff, 'Free cycle reset'
        FROM unnest(${resets.map((r) => r.costCenterId)}::text[], ${resets.map((r) => r.key)}::text[],
                    ${resets.map((r) => r.creditCents.toString())}::bigint[], ${resets.map((r) => r.effectiveAt.toISOString())}::timestamptz[])
          AS r(cc, key, cents, eff)
        ON CONFLICT ("idempotencyKey") DO NOTHING
        RETURNING "costCenterId", "creditCents"
      ),
      bal AS (
        UPDATE "CostCenter" c SET "balanceCents" = c."balanceCents" + d.cents
        FROM (SELECT "costCenterId", SUM("creditCents")::bigint AS cents FROM ins GROUP BY "costCenterId") d
        WHERE c.id = d."costCenterId"
      )
      SELECT count(*) AS n, SUM("creditCents")::bigint AS cents FROM ins`;
    counts.entries = Number(inserted[0]?.n ?? 0n);
    counts.forgivenCents = -Number(inserted[0]?.cents ?? 0n);
  }
  await tx.$executeRaw`
    UPDATE "CostCenter" c SET "billingCycleStart" = a.start, "nextBillingTime" = a.next, "updatedAt" = ${now}::timestamptz
    FROM unnest(${advances.map((a) => a.id)}::text[], ${advances.map((a) => a.start.toISOString())}::timestamptz[],
                ${advances.map((a) => a.next.toISOString())}::timestamptz[]) AS a(id, start, next)
    WHERE c.id = a.id`;
  counts.lastId = due[due.length - 1]?.id ?? null;
  return counts;
}

/** The reset job: closes every elapsed cycle of every due FREE cost center, in batches. */
export async function resetDueFreeCycles(deps: { db: Db; clock: Clock; logger: Logger }): Promise<{ counts: Record<string, number> }> {
  const now = deps.clock.now();
  const total: ResetCounts & { batches: number } = { costCenters: 0, cycles: 0, entries: 0, forgivenCents: 0, batches: 0 };
  let afterId = "";
  for (;;) {
    const result = await deps.db.$transaction((tx) => resetLocked(tx, now, { afterId }), { maxWait: 30_000, timeout: 120_000 });
    if (result.lastId === null) break;
    afterId = result.lastId;
    total.batches += 1;
    total.costCenters += result.costCenters;
    total.cycles += result.cycles;
    total.entries += result.entries;
    total.forgivenCents += result.forgivenCents;
  }
  deps.logger.info(total, "free cycles reset");
  return { counts: total };
}

/**
 * Lazy reset on read: if this cost center's free cycle has ended, reset it now (the same code
 * path as the job, so a race between them still writes one entry per cycle).
 */
export async function ensureCycleCurrent(db: Db, costCenterId: string, clock: Clock): Promise<void> {
  const now = clock.now();
  const cc = await db.costCenter.findUnique({ where: { id: costCenterId }, select: { billingStrategy: true, nextBillingTime: true } });
  if (!cc || cc.billingStrategy !== "FREE" || cc.nextBillingTime.getTime() > now.getTime()) return;
  await db.$transaction((tx) => resetLocked(tx, now, { onlyId: costCenterId }), { maxWait: 30_000, timeout: 60_000 });
}
