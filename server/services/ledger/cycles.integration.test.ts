import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../testing/db";
import { oracleResets } from "../../testing/ledger-oracle";
import { fixedClock } from "../../lib/clock";
import { DomainError } from "../../domain/errors";
import { pricingFromConfig } from "../../domain/pricing";
import { currentCycleUsage, ensureCycleCurrent, grantCreditNote, openCostCenter, reconcileUsage, resetDueFreeCycles } from "./index";
import { createCostCenters, putInstances, quietLogger, testConfig } from "./fixtures.testing";

const t = useTestDatabase();
const config = testConfig();
const pricing = pricingFromConfig(config);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const anchor = new Date("2024-01-31T09:30:00.250Z");

beforeEach(async () => {
  await t.pool.query(`TRUNCATE "UsageEntry", "WorkspaceInstance", "JobRun", "AuditLog", "CostCenter", "Team" CASCADE`);
});

/** Final usage of `cents` attributed at `at` (a g1-standard instance: 1000 cents per hour). */
async function usage(cc: string, id: string, at: Date, cents: number): Promise<void> {
  const start = at.getTime();
  await putInstances(t.pool, [
    { id, costCenterId: cc, workspaceClass: "g1-standard", startedAt: at, stoppingAt: new Date(start + cents * 3600), stoppedAt: null, updatedAt: at },
  ]);
}

async function reconcileAll(now: Date): Promise<void> {
  await reconcileUsage({ db: t.db, config, clock: fixedClock(now), logger: quietLogger }, { since: null });
}

async function resetEntries(cc: string) {
  return t.db.usageEntry.findMany({ where: { costCenterId: cc, kind: "CYCLE_RESET" }, orderBy: { effectiveAt: "asc" } });
}

async function assertBalanceIsSumOfEntries(): Promise<void> {
  const rows = await t.pool.query(`
    SELECT c.id, c."balanceCents"::text AS balance, COALESCE(SUM(e."creditCents"), 0)::text AS sum
    FROM "CostCenter" c LEFT JOIN "UsageEntry" e ON e."costCenterId" = c.id GROUP BY c.id`);
  for (const r of rows.rows) expect(r.balance).toBe(r.sum);
}

describe("openCostCenter", () => {
  it("opens a FREE cycle anchored now, month end clamped, and is idempotent", async () => {
    await t.pool.query(`INSERT INTO "Team" (id, name) VALUES ('team-a', 'A')`);
    const first = await openCostCenter(t.db, { teamId: "team-a", now: anchor, spendingLimitCents: 50_000n });
    expect(first).toMatchObject({
      billingStrategy: "FREE",
      status: "ACTIVE",
      spendingLimitCents: 50_000n,
      freeSpendingLimitCents: 50_000n,
      balanceCents: 0n,
      cycleAnchor: anchor,
      billingCycleStart: anchor,
      nextBillingTime: new Date("2024-02-29T09:30:00.250Z"),
    });
    const again = await openCostCenter(t.db, { teamId: "team-a", now: new Date(), spendingLimitCents: 1n });
    expect(again).toEqual(first);
    await expect(openCostCenter(t.db, { teamId: "team-a", now: anchor, spendingLimitCents: -1n })).rejects.toThrow(DomainError);
  });
});

describe("free cycle reset", () => {
  it("forgives up to the limit, carries the rest over, advances the cycle, and runs once", async () => {
    const [small, big] = await createCostCenters(t.pool, "r", 2, anchor, 500n);
    await usage(small ?? "", "i-small", new Date(anchor.getTime() + DAY), 300);
    await usage(big ?? "", "i-big", new Date(anchor.getTime() + DAY), 800);
    await reconcileAll(new Date(anchor.getTime() + 2 * DAY));
    const now = new Date("2024-02-29T09:30:00.250Z");
    const { counts } = await resetDueFreeCycles({ db: t.db, clock: fixedClock(now), logger: quietLogger });
    expect(counts).toMatchObject({ costCenters: 2, cycles: 2, entries: 2, forgivenCents: 800 });
    expect((await resetEntries(small ?? "")).map((e) => [e.idempotencyKey, e.creditCents, e.effectiveAt])).toEqual([
      [`reset:${small}:2024-01-31T09:30:00.250Z`, -300n, now],
    ]);
    expect((await resetEntries(big ?? ""))[0]?.creditCents).toBe(-500n);
    const after = await t.db.costCenter.findMany({ orderBy: { id: "asc" } });
    expect(Object.fromEntries(after.map((c) => [c.id, [c.balanceCents, c.billingCycleStart, c.nextBillingTime]]))).toEqual({
      [small ?? ""]: [0n, now, new Date("2024-03-31T09:30:00.250Z")],
      [big ?? ""]: [300n, now, new Date("2024-03-31T09:30:00.250Z")],
    });
    const second = await resetDueFreeCycles({ db: t.db, clock: fixedClock(new Date(now.getTime() + DAY)), logger: quietLogger });
    expect(second.counts).toMatchObject({ costCenters: 0, entries: 0 });
    await assertBalanceIsSumOfEntries();
  });

  it("property: resets at any times (including after long outages) equal the oracle's, cycle by cycle", async () => {
    const entryArb = fc.array(fc.record({ day: fc.integer({ min: 0, max: 200 }), cents: fc.integer({ min: 1, max: 900 }), credit: fc.boolean() }), {
      maxLength: 12,
    });
    const runsArb = fc.array(fc.integer({ min: 0, max: 240 }), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(entryArb, runsArb, fc.integer({ min: 0, max: 1000 }), async (entries, runDays, limit) => {
        await t.pool.query(`TRUNCATE "UsageEntry", "WorkspaceInstance", "CostCenter", "Team" CASCADE`);
        const [cc = ""] = await createCostCenters(t.pool, "p", 1, anchor, BigInt(limit));
        const others: { effectiveAt: Date; cents: bigint }[] = [];
        for (const [i, e] of entries.entries()) {
          const at = new Date(anchor.getTime() + e.day * DAY + i);
          if (e.credit) {
            await grantCreditNote(t.db, { costCenterId: cc, creditCents: BigInt(e.cents), reason: "goodwill", authorId: "admin", idempotencyKey: `cn-${i}` }, fixedClock(at));
            others.push({ effectiveAt: at, cents: -BigInt(e.cents) });
          } else {
            await usage(cc, `u-${i}`, at, e.cents);
            others.push({ effectiveAt: at, cents: BigInt(e.cents) });
          }
        }
        await reconcileAll(new Date(anchor.getTime() + 250 * DAY));
        const end = new Date(anchor.getTime() + 250 * DAY);
        for (const day of [...runDays].sort((a, b) => a - b)) {
          await resetDueFreeCycles({ db: t.db, clock: fixedClock(new Date(anchor.getTime() + day * DAY)), logger: quietLogger });
        }
        await resetDueFreeCycles({ db: t.db, clock: fixedClock(end), logger: quietLogger });
        const expected = oracleResets(anchor, end, BigInt(limit), others);
        const actual = await resetEntries(cc);
        expect(actual.map((e) => [e.idempotencyKey, e.creditCents])).toEqual(expected.map((r) => [`reset:${cc}:${r.cycleStart.toISOString()}`, r.cents]));
        await assertBalanceIsSumOfEntries();
        const center = await t.db.costCenter.findUniqueOrThrow({ where: { id: cc } });
        expect(center.billingCycleStart.getTime()).toBeLessThanOrEqual(end.getTime());
        expect(center.nextBillingTime.getTime()).toBeGreaterThan(end.getTime());
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it("racing jobs and lazy resets write exactly one entry per cycle", async () => {
    const centers = await createCostCenters(t.pool, "race", 12, anchor, 700n);
    for (const [i, cc] of centers.entries()) {
      await usage(cc, `race-${i}-a`, new Date(anchor.getTime() + DAY), 400 + i);
      await usage(cc, `race-${i}-b`, new Date(anchor.getTime() + 40 * DAY), 900);
    }
    await reconcileAll(new Date(anchor.getTime() + 50 * DAY));
    const now = new Date(anchor.getTime() + 95 * DAY);
    const clock = fixedClock(now);
    await Promise.all([
      ...[1, 2, 3, 4].map(() => resetDueFreeCycles({ db: t.db, clock, logger: quietLogger })),
      ...centers.map((cc) => ensureCycleCurrent(t.db, cc, clock)),
      ...centers.slice(0, 4).map((cc) => ensureCycleCurrent(t.db, cc, clock)),
    ]);
    for (const [i, cc] of centers.entries()) {
      const expected = oracleResets(anchor, now, 700n, [
        { effectiveAt: new Date(anchor.getTime() + DAY), cents: BigInt(400 + i) },
        { effectiveAt: new Date(anchor.getTime() + 40 * DAY), cents: 900n },
      ]);
      expect(expected).toHaveLength(3);
      expect((await resetEntries(cc)).map((e) => e.creditCents)).toEqual(expected.map((r) => r.cents));
    }
    await assertBalanceIsSumOfEntries();
  });
});

describe("grantCreditNote", () => {
  it("writes a negative entry with reason and author, an audit record, once per key", async () => {
    const [cc = ""] = await createCostCenters(t.pool, "cn", 1, anchor);
    const args = { costCenterId: cc, creditCents: 2500n, reason: "  outage compensation ", authorId: "admin-1", idempotencyKey: "cn:1" };
    expect(await grantCreditNote(t.db, args)).toEqual({ created: true });
    expect(await grantCreditNote(t.db, args)).toEqual({ created: false });
    const entries = await t.db.usageEntry.findMany({ where: { costCenterId: cc } });
    expect(entries).toMatchObject([{ kind: "CREDIT_NOTE", creditCents: -2500n, description: "outage compensation", createdById: "admin-1", draft: false }]);
    expect((await t.db.costCenter.findUniqueOrThrow({ where: { id: cc } })).balanceCents).toBe(-2500n);
    const audit = await t.db.auditLog.findMany({ where: { costCenterId: cc } });
    expect(audit).toMatchObject([{ actorKind: "USER", actorId: "admin-1", action: "credit_note.granted", targetType: "UsageEntry", targetId: entries[0]?.id.toString() }]);
    await expect(grantCreditNote(t.db, { ...args, creditCents: 0n, idempotencyKey: "cn:2" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(grantCreditNote(t.db, { ...args, reason: " ", idempotencyKey: "cn:3" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(grantCreditNote(t.db, { ...args, costCenterId: "nope", idempotencyKey: "cn:4" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("currentCycleUsage", () => {
  it("adds running instances' growth since their drafts, after a lazy reset", async () => {
    const [cc = ""] = await createCostCenters(t.pool, "cu", 1, anchor, 100_000n);
    const running = new Date(anchor.getTime() + 20 * DAY);
    await usage(cc, "done", new Date(anchor.getTime() + DAY), 3000);
    await putInstances(t.pool, [
      { id: "run-1", costCenterId: cc, workspaceClass: "g1-large", startedAt: running, stoppingAt: null, stoppedAt: null, updatedAt: running },
      { id: "run-2", costCenterId: cc, workspaceClass: "g1-small", startedAt: null, stoppingAt: null, stoppedAt: null, updatedAt: running },
    ]);
    // Drafts reconciled one hour in: 2025 cents for g1-large.
    await reconcileAll(new Date(running.getTime() + HOUR));
    const before = await currentCycleUsage(t.db, cc, fixedClock(new Date(running.getTime() + 3 * HOUR)), pricing);
    expect(before).toMatchObject({ usedCents: 3000n + 3n * 2025n, limitCents: 100_000n, runningInstances: 1, cycleStart: anchor });
    // After the cycle ends: the lazy reset forgives 3000 + the draft's stored 2025, live growth stays.
    const nextCycle = new Date("2024-02-29T09:30:00.250Z");
    const later = new Date(nextCycle.getTime() + HOUR);
    const after = await currentCycleUsage(t.db, cc, fixedClock(later), pricing);
    const liveCents = BigInt(Math.round(((later.getTime() - running.getTime()) / HOUR) * 2025));
    expect(after).toMatchObject({ cycleStart: nextCycle, cycleEnd: new Date("2024-03-31T09:30:00.250Z"), runningInstances: 1 });
    expect(after.usedCents).toBe(liveCents - 2025n);
    expect((await resetEntries(cc)).map((e) => e.creditCents)).toEqual([-5025n]);
  });
});
