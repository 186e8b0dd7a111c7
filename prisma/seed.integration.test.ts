// The demo data set: deterministic, shaped as README promises, and the demo's split of the paying
// team's last month (held back, then added once the team is on the paid plan) loses nothing.
import { describe, expect, it } from "vitest";
import { addMonthsClamped } from "../server/domain/billing-cycle";
import { useTestDatabase } from "../server/testing/db";
import { seed, seedPaidPeriodUsage } from "./seed";

const now = new Date("2026-11-27T12:00:00Z");

async function snapshot(t: ReturnType<typeof useTestDatabase>) {
  const { rows } = await t.pool.query<{ team: string; instances: string; running: string; balance: string; limit: string; resets: string }>(`
    SELECT t.id AS team,
           (SELECT count(*) FROM "WorkspaceInstance" i WHERE i."teamId" = t.id)::text AS instances,
           (SELECT count(*) FROM "WorkspaceInstance" i WHERE i."teamId" = t.id AND i."stoppedAt" IS NULL)::text AS running,
           cc."balanceCents"::text AS balance, cc."spendingLimitCents"::text AS limit,
           (SELECT count(*) FROM "UsageEntry" e WHERE e."costCenterId" = cc.id AND e.kind = 'CYCLE_RESET')::text AS resets
    FROM "Team" t JOIN "CostCenter" cc ON cc."teamId" = t.id ORDER BY t.id`);
  return rows;
}

describe("demo seed", () => {
  const t = useTestDatabase();

  it("builds three teams as described, with history, running workspaces and a closed past cycle, the same every time", async () => {
    const first = await seed(t.db, now);
    const a = await snapshot(t);
    expect(first.instances).toBeGreaterThan(2000);
    expect(a.map((r) => r.team)).toEqual(["team-acme", "team-globex", "team-initech"]);
    for (const row of a) {
      expect(Number(row.running)).toBeGreaterThan(0);
      expect(row.resets).toBe("1");
    }
    const globex = a.find((r) => r.team === "team-globex");
    const usedShare = Number(globex?.balance) / Number(globex?.limit);
    expect(usedShare).toBeGreaterThan(0.8);
    expect(usedShare).toBeLessThan(0.9);
    expect(await t.db.user.count()).toBe(13);
    expect(await t.db.user.count({ where: { isPlatformAdmin: true } })).toBe(1);

    await seed(t.db, now);
    expect(await snapshot(t)).toEqual(a);
  });

  it("holds back the paying team's last month for the demo and adds exactly those workspaces later", async () => {
    await seed(t.db, now);
    const full = await t.db.workspaceInstance.count({ where: { teamId: "team-initech" } });
    const since = addMonthsClamped(now, -1);

    await seed(t.db, now, { deferPaidUsageFrom: since });
    const held = await t.db.workspaceInstance.count({ where: { teamId: "team-initech" } });
    expect(await t.db.workspaceInstance.count({ where: { teamId: "team-initech", startedAt: { gte: since } } })).toBe(0);
    expect(held).toBeLessThan(full);
    // Free teams are not affected.
    expect(await t.db.workspaceInstance.count({ where: { teamId: "team-acme", startedAt: { gte: since } } })).toBeGreaterThan(0);

    const added = await seedPaidPeriodUsage(t.db, now, since);
    expect(held + added.instances).toBe(full);
    const entries = await t.db.usageEntry.count({ where: { kind: "WORKSPACE", costCenter: { teamId: "team-initech" } } });
    expect(entries).toBe(full);
  });
});
