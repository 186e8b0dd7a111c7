import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../testing/db";
import { compareLedgerWithOracle } from "../../testing/ledger-oracle";
import { fixedClock } from "../../lib/clock";
import { priceInstanceCents, pricingFromConfig } from "../../domain/pricing";
import { appendLedgerEntry, reconcileInstances, reconcileUsage } from "./index";
import { createCostCenters, ledgerSnapshot, oracleRatesOf, putInstances, quietLogger, testConfig, type InstanceRow } from "./fixtures.testing";
import { prismaSql } from "../../db/sql";

const t = useTestDatabase();
const T0 = Date.UTC(2025, 2, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0 + ms);

const config = testConfig({
  rateChanges: [
    { workspaceClass: "g1-small", creditsPerHour: 6.5, effectiveAt: new Date(T0 + 2 * DAY + 1234).toISOString() },
    { workspaceClass: "default", creditsPerHour: 11, effectiveAt: new Date(T0 + 3 * DAY).toISOString() },
    { workspaceClass: "g1-small", creditsPerHour: 4, effectiveAt: new Date(T0 + 5 * DAY).toISOString() },
  ],
});
const pricing = pricingFromConfig(config);
const rates = oracleRatesOf(config);
const classes = ["g1-small", "g1-large", "g1-standard", "mystery-class"];

let centers: string[] = [];

async function clearLedger(): Promise<void> {
  await t.pool.query(`TRUNCATE "UsageEntry", "WorkspaceInstance", "JobRun"`);
  await t.pool.query(`UPDATE "CostCenter" SET "balanceCents" = 0`);
}

/** A ledger job run as the runner performs it: reconcile, then record the watermark. */
async function runLedgerJob(now: Date): Promise<Record<string, number>> {
  const result = await reconcileUsage({ db: t.db, config, clock: fixedClock(now), logger: quietLogger });
  await t.pool.query(`INSERT INTO "JobRun" (job, trigger, "startedAt", "finishedAt", outcome, watermark) VALUES ('ledger', 'schedule', $1, $1, 'SUCCEEDED', $2)`, [
    now.toISOString(),
    result.watermark.toISOString(),
  ]);
  return result.counts;
}

beforeEach(async () => {
  if (centers.length === 0) centers = await createCostCenters(t.pool, "rec", 3, new Date(T0 - DAY));
  await clearLedger();
});

const instanceArb = fc.record({
  cls: fc.constantFrom(...classes),
  cc: fc.nat(2),
  start: fc.option(fc.integer({ min: 0, max: 8 * DAY }), { nil: null, freq: 8 }),
  // Negative durations: a stop before the start.
  duration: fc.option(fc.integer({ min: -HOUR, max: 3 * DAY }), { nil: null, freq: 3 }),
  stopField: fc.constantFrom("stoppingAt", "stoppedAt", "both"),
});

describe("SQL pricing", () => {
  it("equals the TypeScript pricing function for every instance, rate changes included", async () => {
    const now = at(9 * DAY + 17);
    const sample = fc.sample(instanceArb, { numRuns: 400, seed: 42 });
    const rows: InstanceRow[] = sample.map((s, i) => {
      const startedAt = s.start === null ? null : at(s.start);
      const stop = s.start !== null && s.duration !== null ? at(s.start + s.duration) : s.duration !== null ? at(s.duration + DAY) : null;
      return {
        id: `p-${i}`,
        costCenterId: centers[s.cc] ?? "",
        workspaceClass: s.cls,
        startedAt,
        stoppingAt: s.stopField === "stoppedAt" ? null : stop,
        stoppedAt: s.stopField === "stoppingAt" || stop === null ? null : new Date(stop.getTime() + (s.stopField === "both" ? 60_000 : 0)),
        updatedAt: now,
      };
    });
    await putInstances(t.pool, rows);
    const counts = await runLedgerJob(now);
    expect(counts.candidates).toBe(rows.length);
    const entries = await t.db.usageEntry.findMany({ where: { kind: "WORKSPACE" } });
    const byId = new Map(entries.map((e) => [e.instanceId, e]));
    for (const row of rows) {
      const expected = priceInstanceCents(row, now, pricing);
      const entry = byId.get(row.id);
      expect({ id: row.id, cents: entry?.creditCents, draft: entry?.draft }).toEqual({ id: row.id, cents: expected.cents, draft: !expected.final });
    }
    // Spans across the rate changes were really exercised.
    const crossing = rows.filter((r) => r.startedAt && r.stoppingAt && r.startedAt < at(3 * DAY) && r.stoppingAt > at(3 * DAY));
    expect(crossing.length).toBeGreaterThan(10);
    expect(await compareLedgerWithOracle(t.pool, now, rates)).toEqual([]);
  });
});

type Step =
  | { kind: "event"; at: number; instance: number; field: "startedAt" | "stoppingAt" | "stoppedAt"; value: number; viaIngest: boolean }
  | { kind: "run"; at: number; twice: boolean };

const historyArb = fc
  .record({
    instances: fc.array(
      fc.record({
        cls: fc.constantFrom(...classes),
        cc: fc.nat(2),
        start: fc.integer({ min: 0, max: 8 * DAY }),
        startArrives: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
        startDelay: fc.integer({ min: 0, max: 2 * DAY }),
        duration: fc.option(fc.integer({ min: -HOUR, max: 3 * DAY }), { nil: null, freq: 3 }),
        stopDelay: fc.integer({ min: 0, max: 2 * DAY }),
        stopField: fc.constantFrom<"stoppingAt" | "stoppedAt" | "both">("stoppingAt", "stoppedAt", "both"),
        viaIngest: fc.boolean(),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    runs: fc.array(fc.record({ at: fc.integer({ min: 0, max: 14 * DAY }), twice: fc.boolean() }), { maxLength: 8 }),
  })
  .map(({ instances, runs }) => {
    const steps: Step[] = [];
    instances.forEach((s, i) => {
      if (s.startArrives) steps.push({ kind: "event", at: s.start + s.startDelay, instance: i, field: "startedAt", value: s.start, viaIngest: s.viaIngest });
      if (s.duration !== null) {
        const stop = s.start + s.duration;
        const arrives = Math.max(stop, s.start) + s.stopDelay;
        const first = s.stopField === "stoppedAt" ? "stoppedAt" : "stoppingAt";
        steps.push({ kind: "event", at: arrives, instance: i, field: first, value: stop, viaIngest: s.viaIngest });
        if (s.stopField === "both") steps.push({ kind: "event", at: arrives + 1000, instance: i, field: "stoppedAt", value: stop + 30_000, viaIngest: s.viaIngest });
      }
    });
    for (const r of runs) steps.push({ kind: "run", at: r.at, twice: r.twice });
    // Events before runs at the same instant; otherwise in time order.
    steps.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === "event" ? -1 : 1));
    return { instances, steps };
  });

describe("reconciliation over random histories", () => {
  it("property: every sequence of runs (with outages, late events, ingest finalization) ends equal to the oracle, and re-running changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ instances, steps }) => {
        await clearLedger();
        const state: InstanceRow[] = instances.map((s, i) => ({
          id: `h-${i}`,
          costCenterId: centers[s.cc] ?? "",
          workspaceClass: s.cls,
          startedAt: null,
          stoppingAt: null,
          stoppedAt: null,
          updatedAt: at(0),
        }));
        const arrived = new Set<number>();
        for (const step of steps) {
          if (step.kind === "event") {
            const row = state[step.instance];
            if (!row) throw new Error("bad step");
            row[step.field] = at(step.value);
            row.updatedAt = at(step.at);
            arrived.add(step.instance);
            await putInstances(t.pool, [row]);
            if (step.viaIngest) {
              await t.db.$transaction((tx) => reconcileInstances(prismaSql(tx), [row.id], { pricing, clock: fixedClock(at(step.at)), logger: quietLogger }));
            }
          } else {
            await runLedgerJob(at(step.at));
            if (step.twice) {
              const before = await ledgerSnapshot(t.pool);
              await runLedgerJob(at(step.at));
              expect(await ledgerSnapshot(t.pool)).toBe(before);
            }
          }
        }
        // Instances whose events never arrived do not exist yet.
        await t.pool.query(`DELETE FROM "WorkspaceInstance" WHERE NOT (id = ANY($1::text[]))`, [[...arrived].map((i) => `h-${i}`)]);
        const end = at(20 * DAY);
        await runLedgerJob(end);
        expect(await compareLedgerWithOracle(t.pool, end, rates)).toEqual([]);
        const before = await ledgerSnapshot(t.pool);
        await runLedgerJob(end);
        expect(await ledgerSnapshot(t.pool)).toBe(before);
      }),
      { numRuns: 40, seed: 20250301 },
    );
  });
});

describe("reconcileUsage", () => {
  it("loses nothing across a worker outage of days, and picks up late events for old instances", async () => {
    const cc = centers[0] ?? "";
    await putInstances(t.pool, [
      { id: "o-1", costCenterId: cc, workspaceClass: "g1-large", startedAt: at(HOUR), stoppingAt: null, stoppedAt: null, updatedAt: at(HOUR) },
    ]);
    await runLedgerJob(at(2 * HOUR));
    // The worker is down for nine days; meanwhile instances start and stop, one event arrives late.
    await putInstances(t.pool, [
      { id: "o-1", costCenterId: cc, workspaceClass: "g1-large", startedAt: at(HOUR), stoppingAt: null, stoppedAt: at(3 * DAY), updatedAt: at(3 * DAY) },
      { id: "o-2", costCenterId: cc, workspaceClass: "g1-small", startedAt: at(DAY), stoppingAt: at(4 * DAY), stoppedAt: null, updatedAt: at(4 * DAY) },
      { id: "o-3", costCenterId: cc, workspaceClass: "g1-small", startedAt: at(2 * HOUR), stoppingAt: null, stoppedAt: at(3 * HOUR), updatedAt: at(9 * DAY) },
      { id: "o-4", costCenterId: cc, workspaceClass: "mystery-class", startedAt: at(5 * DAY), stoppingAt: null, stoppedAt: null, updatedAt: at(5 * DAY) },
    ]);
    const counts = await runLedgerJob(at(9 * DAY + HOUR));
    expect(counts).toMatchObject({ candidates: 4, inserted: 3, finalized: 3 });
    expect(await compareLedgerWithOracle(t.pool, at(9 * DAY + HOUR), rates)).toEqual([]);
    // g1-large at 2025 cents/h for 71 h = 143,775 cents.
    const o1 = await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "o-1" } });
    expect(o1).toMatchObject({ creditCents: 143_775n, draft: false, stoppedAt: at(3 * DAY), effectiveAt: at(HOUR) });
    // The next run only looks at what changed since (minus the overlap) and at drafts.
    const later = await runLedgerJob(at(9 * DAY + 2 * HOUR));
    expect(later).toMatchObject({ candidates: 1, updated: 1, inserted: 0 });
  });

  it("never changes a final entry, and keeps a draft at zero until its start arrives", async () => {
    const cc = centers[1] ?? "";
    await putInstances(t.pool, [
      { id: "f-1", costCenterId: cc, workspaceClass: "g1-standard", startedAt: null, stoppingAt: null, stoppedAt: at(2 * HOUR), updatedAt: at(2 * HOUR) },
    ]);
    await runLedgerJob(at(3 * HOUR));
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "f-1" } })).toMatchObject({ creditCents: 0n, draft: true, stoppedAt: null });
    await putInstances(t.pool, [
      { id: "f-1", costCenterId: cc, workspaceClass: "g1-standard", startedAt: at(HOUR), stoppingAt: null, stoppedAt: at(2 * HOUR), updatedAt: at(4 * HOUR) },
    ]);
    await runLedgerJob(at(5 * HOUR));
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "f-1" } })).toMatchObject({ creditCents: 1000n, draft: false });
    // A (bogus) later change to a finished instance does not reopen its entry.
    await t.pool.query(`UPDATE "WorkspaceInstance" SET "stoppedAt" = $1, "updatedAt" = $2 WHERE id = 'f-1'`, [at(9 * HOUR).toISOString(), at(6 * HOUR).toISOString()]);
    await runLedgerJob(at(7 * HOUR));
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "f-1" } })).toMatchObject({ creditCents: 1000n, draft: false });
    const balance = await t.db.costCenter.findUniqueOrThrow({ where: { id: cc } });
    expect(balance.balanceCents).toBe(1000n);
  });

  it("finalizes on stop immediately through reconcileInstances, inside the caller's transaction", async () => {
    const cc = centers[2] ?? "";
    const row: InstanceRow = { id: "s-1", costCenterId: cc, workspaceClass: "g1-small", startedAt: at(0), stoppingAt: null, stoppedAt: null, updatedAt: at(0) };
    await putInstances(t.pool, [row]);
    const deps = { pricing, clock: fixedClock(at(HOUR)), logger: quietLogger };
    expect(await t.db.$transaction((tx) => reconcileInstances(prismaSql(tx), [row.id], deps))).toEqual({ updated: 1 });
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "s-1" } })).toMatchObject({ creditCents: 500n, draft: true });
    await putInstances(t.pool, [{ ...row, stoppingAt: at(2 * HOUR), updatedAt: at(2 * HOUR) }]);
    await t.db.$transaction((tx) => reconcileInstances(prismaSql(tx), [row.id, row.id], { ...deps, clock: fixedClock(at(3 * HOUR)) }));
    expect(await t.db.usageEntry.findUniqueOrThrow({ where: { instanceId: "s-1" } })).toMatchObject({ creditCents: 1000n, draft: false, stoppedAt: at(2 * HOUR) });
    // Rolled back with the caller's transaction: nothing half-written.
    await putInstances(t.pool, [{ ...row, id: "s-2" }]);
    await expect(
      t.db.$transaction(async (tx) => {
        await reconcileInstances(prismaSql(tx), ["s-2"], deps);
        throw new Error("ingest failed later");
      }),
    ).rejects.toThrow("ingest failed later");
    expect(await t.db.usageEntry.findUnique({ where: { instanceId: "s-2" } })).toBeNull();
    expect((await t.db.costCenter.findUniqueOrThrow({ where: { id: cc } })).balanceCents).toBe(1000n);
  });

  it("keeps exact balances when several reconciliations and ingest calls run at once", async () => {
    const rows: InstanceRow[] = Array.from({ length: 300 }, (_, i) => ({
      id: `c-${String(i).padStart(3, "0")}`,
      costCenterId: centers[i % 3] ?? "",
      workspaceClass: classes[i % classes.length] ?? "g1-small",
      startedAt: at(i * 60_000),
      stoppingAt: i % 4 === 0 ? null : at(i * 60_000 + (i + 1) * 7_001),
      stoppedAt: null,
      updatedAt: at(DAY),
    }));
    await putInstances(t.pool, rows);
    const nows = [at(DAY), at(DAY + 5000), at(DAY + 9000), at(DAY + 1000)];
    await Promise.all([
      ...nows.map((now) => reconcileUsage({ db: t.db, config, clock: fixedClock(now), logger: quietLogger }, { since: null })),
      t.db.$transaction((tx) => reconcileInstances(prismaSql(tx), rows.slice(0, 150).map((r) => r.id), { pricing, clock: fixedClock(at(DAY + 2000)), logger: quietLogger })),
      t.db.$transaction((tx) => reconcileInstances(prismaSql(tx), rows.slice(100).map((r) => r.id).reverse(), { pricing, clock: fixedClock(at(DAY + 3000)), logger: quietLogger })),
      ...[1, 2, 3].map(() =>
        t.db.$transaction((tx) =>
          appendLedgerEntry(tx, { costCenterId: centers[0] ?? "", kind: "CREDIT_NOTE", idempotencyKey: "credit:concurrency", creditCents: -123n, effectiveAt: at(DAY) }),
        ),
      ),
    ]);
    expect(await t.db.usageEntry.count({ where: { idempotencyKey: "credit:concurrency" } })).toBe(1);
    // Drafts end at the latest "now" any writer used: they never shrink.
    expect(await compareLedgerWithOracle(t.pool, at(DAY + 9000), rates)).toEqual([]);
  });
});
