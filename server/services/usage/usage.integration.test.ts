// The Usage page's numbers against a real database: they agree with each other and with the
// ledger, members only ever see their own rows, and the CSV export adds up to the page's total.
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config/config";
import { fixedClock } from "../../lib/clock";
import { logger } from "../../lib/logger";
import { openCostCenter, reconcileInstances } from "../ledger";
import { useTestDatabase } from "../../testing/db";
import { exportUsageCsv, parseUsageCsvParams } from "./csv";
import { usageDeps } from "./deps";
import { usageEntries } from "./entries";
import { dailySeries, usageBreakdown, usageTotals } from "./series";
import { cycleSummary } from "./summary";
import type { Viewer } from "./scope";
import { prismaSql } from "../../db/sql";

const config = parseConfig({
  schedules: {},
  creditsPerHourByWorkspaceClass: { default: 10, "g1-small": 5, "g1-standard": 10, "g1-large": 20 },
  defaultSpendingLimit: 500,
  stripe: { priceIds: { usd: "p_usd", eur: "p_eur" }, meterEventName: "credits" },
});
const TEAM = "team-usage";
const now = new Date("2026-11-20T12:00:00Z");
const owner: Viewer = { userId: "u-owner", role: "OWNER" };
const member: Viewer = { userId: "u-m1", role: "MEMBER" };
const admin: Viewer = { userId: "u-admin", role: null };
const cycle = { kind: "cycle", offset: 0 } as const;

interface Inst {
  id: string;
  user: string;
  cls: string;
  start: string;
  stop: string | null;
}
const instances: Inst[] = [
  { id: "i1", user: "u-owner", cls: "g1-small", start: "2026-11-02T09:00:00Z", stop: "2026-11-02T11:00:00Z" },
  { id: "i2", user: "u-m1", cls: "g1-large", start: "2026-11-02T23:30:00Z", stop: "2026-11-03T01:00:00Z" },
  { id: "i3", user: "u-m1", cls: "g1-standard", start: "2026-11-10T08:00:00Z", stop: "2026-11-10T08:20:00Z" },
  { id: "i4", user: "u-m2", cls: "g1-standard", start: "2026-11-15T14:00:00Z", stop: "2026-11-15T18:30:00Z" },
  { id: "i5", user: "u-m2", cls: "g1-large", start: "2026-11-19T07:00:00Z", stop: "2026-11-19T07:45:00Z" },
  // Running: the page prices them at its instant, not at the last reconciliation.
  { id: "i6", user: "u-m1", cls: "g1-large", start: "2026-11-20T10:00:00Z", stop: null },
  { id: "i7", user: "u-owner", cls: "g1-small", start: "2026-11-20T11:00:00Z", stop: null },
];

async function collect(lines: AsyncGenerator<string, void, undefined>): Promise<string[][]> {
  let text = "";
  for await (const chunk of lines) text += chunk;
  const rows = text.split("\r\n").filter((l) => l !== "");
  return rows.map((r) => r.split(","));
}

describe("usage services", () => {
  const t = useTestDatabase();
  const deps = () => usageDeps(t.db, fixedClock(now), config);

  beforeAll(async () => {
    await t.db.user.createMany({
      data: ["u-owner", "u-m1", "u-m2", "u-admin"].map((id) => ({ id, email: `${id}@usage.test`, name: id.toUpperCase(), isPlatformAdmin: id === "u-admin" })),
    });
    await t.db.team.create({ data: { id: TEAM, name: "Usage", timeZone: "Europe/Berlin" } });
    await t.db.membership.createMany({
      data: [
        { teamId: TEAM, userId: "u-owner", role: "OWNER" },
        { teamId: TEAM, userId: "u-m1", role: "MEMBER" },
        { teamId: TEAM, userId: "u-m2", role: "MEMBER" },
      ],
    });
    const cc = await openCostCenter(t.db, { teamId: TEAM, now: new Date("2026-11-01T00:00:00Z"), spendingLimitCents: 20_000n });
    for (const i of instances) {
      await t.db.workspaceInstance.create({
        data: {
          id: i.id,
          workspaceId: `ws-${i.id}`,
          teamId: TEAM,
          costCenterId: cc.id,
          userId: i.user,
          workspaceClass: i.cls,
          startedAt: new Date(i.start),
          stoppedAt: i.stop ? new Date(i.stop) : null,
        },
      });
    }
    // The last reconciliation ran half an hour ago: running drafts are behind.
    await t.db.$transaction((tx) =>
      reconcileInstances(
        prismaSql(tx),
        instances.map((i) => i.id),
        { pricing: usageDeps(t.db, fixedClock(now), config).pricing, clock: fixedClock(new Date(now.getTime() - 30 * 60_000)), logger },
      ),
    );
  });

  it("shows the live cycle usage, the same figure as the table total and the chart", async () => {
    const summary = await cycleSummary(deps(), TEAM, owner);
    // Stopped: 10.00 + 30.00 + 3.33 + 45.00 + 15.00; running at noon: 2h large = 40.00, 1h small = 5.00.
    expect(summary.usedCents).toBe(1_000n + 3_000n + 333n + 4_500n + 1_500n + 4_000n + 500n);
    expect(summary.scope).toBe("TEAM");
    expect(summary.runningInstances).toBe(2);
    expect(summary.daysLeft).toBe(11);
    expect(summary.asOf).toEqual(now);
    const totals = await usageTotals(deps(), { teamId: TEAM, range: cycle, filters: {}, asOf: summary.asOf }, owner);
    expect(totals).toMatchObject({ entries: 7, totalCents: summary.usedCents });
    const series = await dailySeries(deps(), { teamId: TEAM, range: cycle, filters: {} }, owner);
    expect(series.totalCents).toBe(summary.usedCents);
    // i2 starts 23:30 UTC on the 2nd = 00:30 on the 3rd in Berlin.
    expect(series.days.find((d) => d.day === "2026-11-03")?.byClass).toEqual({ "g1-large": 3_000n });
    expect(series.days.at(-1)?.day).toBe("2026-11-20");
    expect(series.days[0]?.day).toBe("2026-11-01");
    const breakdown = await usageBreakdown(deps(), { teamId: TEAM, range: cycle, filters: {} }, owner);
    expect(breakdown.totalCents).toBe(summary.usedCents);
    expect(breakdown.byMember.map((m) => [m.userId, m.cents])).toEqual([
      ["u-m1", 3_000n + 333n + 4_000n],
      ["u-m2", 4_500n + 1_500n],
      ["u-owner", 1_000n + 500n],
    ]);
    expect(breakdown.byClass.find((c) => c.workspaceClass === "g1-large")?.cents).toBe(3_000n + 1_500n + 4_000n);
  });

  it("forecasts from the trailing week", async () => {
    const s = await cycleSummary(deps(), TEAM, owner);
    // Last 7 days (from the 13th, noon): i4, i5 and the running two = 105.00 credits = 15.00 a day.
    expect(s.ratePerDayCents).toBe(1_500n);
    // 10.5 days left until Dec 1, 00:00.
    expect(s.endOfCycleCents).toBe(s.usedCents + 15_750n);
    // 51.67 credits left at 15.00 a day.
    expect(s.outlook).toEqual({ kind: "WILL_REACH", at: new Date(now.getTime() + 297_619_200) });
  });

  it("pages the table with a keyset cursor, newest first, running rows live", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await usageEntries(deps(), { teamId: TEAM, range: cycle, filters: {}, limit: 3, ...(cursor ? { cursor } : {}) }, owner);
      seen.push(...page.rows.map((r) => r.instanceId ?? ""));
      cursor = page.nextCursor ?? undefined;
      if (page.rows[0]?.instanceId === "i7") {
        expect(page.rows[0]).toMatchObject({ running: true, creditCents: 500n, durationSeconds: 3600, centsPerHour: 500n });
      }
    } while (cursor);
    expect(seen).toEqual(["i7", "i6", "i5", "i4", "i3", "i2", "i1"]);
  });

  it("filters by member and class for owners", async () => {
    const rows = await usageEntries(deps(), { teamId: TEAM, range: cycle, filters: { userId: "u-m2", workspaceClass: "g1-large" }, limit: 50 }, owner);
    expect(rows.rows.map((r) => r.instanceId)).toEqual(["i5"]);
  });

  it("shows members only their own usage, whatever filter they ask for", async () => {
    const s = await cycleSummary(deps(), TEAM, member);
    expect(s.scope).toBe("SELF");
    expect(s.usedCents).toBe(3_000n + 333n + 4_000n);
    expect(s.outlook).toBeNull();
    expect(s.runningInstances).toBe(1);
    const page = await usageEntries(deps(), { teamId: TEAM, range: cycle, filters: { userId: "u-m2" }, limit: 50 }, member);
    expect(page.rows.map((r) => r.userId)).toEqual(["u-m1", "u-m1", "u-m1"]);
    const breakdown = await usageBreakdown(deps(), { teamId: TEAM, range: cycle, filters: {} }, member);
    expect(breakdown.byMember.map((m) => m.userId)).toEqual(["u-m1"]);
    const csv = await exportUsageCsv(deps(), { teamId: TEAM, range: cycle, filters: {} }, member);
    const rows = await collect(csv.lines);
    expect(rows.slice(1).map((r) => r[4])).toEqual(["u-m1", "u-m1", "u-m1"]);
  });

  it("lets platform admins see the whole team", async () => {
    const s = await cycleSummary(deps(), TEAM, admin);
    expect(s.scope).toBe("TEAM");
  });

  it("exports CSV rows whose credits add up to the page's total for the same range", async () => {
    for (const viewer of [owner, member]) {
      for (const range of [cycle, { kind: "custom", fromDay: "2026-11-03", toDay: "2026-11-19" } as const]) {
        const totals = await usageTotals(deps(), { teamId: TEAM, range, filters: {} }, viewer);
        const csv = await exportUsageCsv(deps(), { teamId: TEAM, range, filters: {}, asOf: totals.asOf }, viewer);
        const [header, ...rows] = await collect(csv.lines);
        const centsCol = header?.indexOf("credit_cents") ?? -1;
        const creditsCol = header?.indexOf("credits") ?? -1;
        expect(rows).toHaveLength(totals.entries);
        expect(rows.reduce((sum, r) => sum + BigInt(r[centsCol] ?? "x"), 0n)).toBe(totals.totalCents);
        const creditsSum = rows.reduce((sum, r) => sum + Math.round(Number(r[creditsCol]) * 100), 0);
        expect(BigInt(creditsSum)).toBe(totals.totalCents);
      }
    }
  });

  it("reads custom days in the team's zone and rejects bad export parameters", async () => {
    const totals = await usageTotals(deps(), { teamId: TEAM, range: { kind: "custom", fromDay: "2026-11-03", toDay: "2026-11-03" }, filters: {} }, owner);
    expect(totals.from.toISOString()).toBe("2026-11-02T23:00:00.000Z");
    expect(totals.entries).toBe(1);
    expect(parseUsageCsvParams(new URLSearchParams("range=custom&from=2026-11-03&to=2026-11-19"))).toEqual({
      range: { kind: "custom", fromDay: "2026-11-03", toDay: "2026-11-19" },
      filters: {},
    });
    expect(() => parseUsageCsvParams(new URLSearchParams("range=custom&from=2026-11-19&to=2026-11-03"))).toThrow(/not valid/);
    expect(() => parseUsageCsvParams(new URLSearchParams("range=cycle&offset=-1"))).toThrow(/not valid/);
  });

  it("offers the current cycle and the previous ones since the team started", async () => {
    const s = await cycleSummary(deps(), TEAM, owner);
    expect(s.cycles.map((c) => [c.offset, c.from.toISOString(), c.to.toISOString()])).toEqual([[0, "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]]);
  });
});
