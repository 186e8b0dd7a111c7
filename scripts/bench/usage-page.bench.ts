// Usage page queries over 10,000,000 usage entries (SPEC §9). One team of a 2,000-team ledger has
// ~300,000 entries over a year (~25,000 in its current cycle, 30 members, 3 classes, 20 running).
// Each of the four queries the page runs first — cycle summary, chart series, first table page, one
// member's breakdown — is timed through the service functions (Prisma) and, as the baseline in the
// same run, the same SQL statements straight through `pg`. Goal: p99 < 50 ms for every query.
import pg from "pg";
import { databaseUrl } from "../../server/config/env";
import { parseConfig } from "../../server/config/config";
import { closeDb, createDb } from "../../server/db/client";
import { dropDatabase, ensureDatabase } from "../../server/db/admin";
import type { Prisma } from "../../server/db/generated/client";
import { applyMigrations } from "../../server/db/schema-engine";
import { fixedClock } from "../../server/lib/clock";
import { usageDeps } from "../../server/services/usage/deps";
import { usageEntries } from "../../server/services/usage/entries";
import { byClassSql, byMemberSql, draftsSql, entriesPageSql, seriesSql, totalsSql, type EntryWindow } from "../../server/services/usage/queries";
import { dailySeries, usageBreakdown } from "../../server/services/usage/series";
import { cycleSummary, RUN_RATE_WINDOW_MS } from "../../server/services/usage/summary";

const ENTRIES = Number(process.env.BENCH_USAGE_ENTRIES ?? 10_000_000);
const TEAM_ENTRIES = Math.min(300_000, Math.floor(ENTRIES * 0.03));
const COST_CENTERS = 2_000;
const RUNS = Number(process.env.BENCH_USAGE_RUNS ?? 200);
const WARMUP = 20;
const NOW = new Date("2026-11-21T12:00:00.000Z");
const CYCLE_START = new Date("2026-11-01T00:00:00.000Z");
const CYCLE_END = new Date("2026-12-01T00:00:00.000Z");
const TEAM = "bt-1";
const CC = "bcc-1";
const MEMBER = "bu-7";

const config = parseConfig({
  schedules: {},
  creditsPerHourByWorkspaceClass: { default: 10, "g1-small": 5, "g1-standard": 10, "g1-large": 20 },
  defaultSpendingLimit: 500,
  stripe: { priceIds: { usd: "p_usd", eur: "p_eur" }, meterEventName: "credits" },
});

async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(`INSERT INTO "Team" (id, name, "timeZone") SELECT 'bt-' || g, 'Bench ' || g, 'Europe/Berlin' FROM generate_series(1, $1::int) g`, [COST_CENTERS]);
  await pool.query(
    `INSERT INTO "CostCenter" (id, "teamId", "spendingLimitCents", "freeSpendingLimitCents", "cycleAnchor", "billingCycleStart", "nextBillingTime")
     SELECT 'bcc-' || g, 'bt-' || g, 100000000, 100000000, '2025-11-01T00:00:00Z', $2::timestamptz, $3::timestamptz FROM generate_series(1, $1::int) g`,
    [COST_CENTERS, CYCLE_START.toISOString(), CYCLE_END.toISOString()],
  );
  await pool.query(`INSERT INTO "User" (id, name, email) SELECT 'bu-' || g, 'Bench User ' || g, 'bu-' || g || '@bench.test' FROM generate_series(0, 29) g`);
  await pool.query(`INSERT INTO "Membership" ("teamId", "userId", role) SELECT $1, 'bu-' || g, CASE WHEN g = 0 THEN 'OWNER'::"MembershipRole" ELSE 'MEMBER' END FROM generate_series(0, 29) g`, [TEAM]);

  // Bulk load without secondary indexes, then build them: far faster than maintaining them row by row.
  const { rows: indexes } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'UsageEntry' AND indexname <> 'UsageEntry_pkey'`,
  );
  for (const ix of indexes) await pool.query(`DROP INDEX "${ix.indexname}"`);
  const client = await pool.connect();
  try {
    await client.query(`SET maintenance_work_mem = '1GB'`);
    // Rows 1..TEAM_ENTRIES belong to the benchmarked team, one every ~105 s back over a year (the
    // newest 20 still running); the rest are spread over 1,999 other cost centers and the same year.
    await client.query(
      `INSERT INTO "UsageEntry" ("costCenterId", kind, "instanceId", "creditCents", draft, "effectiveAt", "workspaceClass", "userId", "startedAt", "stoppedAt", "createdAt", "updatedAt")
       SELECT s.cc, 'WORKSPACE', 'bi-' || s.g, s.g % 2000 + 1, s.running, s.at, (ARRAY['g1-small', 'g1-standard', 'g1-large'])[s.g % 3 + 1],
              'bu-' || (s.g % 30), s.at, CASE WHEN s.running THEN NULL ELSE s.at + (s.g % 7200 + 60) * interval '1 second' END, s.at, s.at
       FROM (
         SELECT g,
                CASE WHEN g <= $2::int THEN $4 ELSE 'bcc-' || (g % ($3::int - 1) + 2) END AS cc,
                g <= 20 AS running,
                CASE WHEN g <= $2::int THEN $5::timestamptz - (g * 105) * interval '1 second'
                     ELSE $5::timestamptz - (g % 31536000) * interval '1 second' END AS at
         FROM generate_series(1, $1::int) g
       ) s`,
      [ENTRIES, TEAM_ENTRIES, COST_CENTERS, CC, NOW.toISOString()],
    );
    for (const ix of indexes) await client.query(ix.indexdef);
  } finally {
    client.release();
  }
  await pool.query(
    `INSERT INTO "WorkspaceInstance" (id, "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass", "startedAt")
     SELECT 'bi-' || g, 'ws-' || g, $1, $2, 'bu-' || (g % 30), (ARRAY['g1-small', 'g1-standard', 'g1-large'])[g % 3 + 1], $3::timestamptz - (g * 105) * interval '1 second'
     FROM generate_series(1, 20) g`,
    [TEAM, CC, NOW.toISOString()],
  );
  await pool.query(
    `UPDATE "CostCenter" c SET "balanceCents" = s.total FROM (SELECT "costCenterId", SUM("creditCents") AS total FROM "UsageEntry" GROUP BY 1) s WHERE c.id = s."costCenterId"`,
  );
  await pool.query(`VACUUM ANALYZE`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function raw(pool: pg.Pool, statements: Prisma.Sql[]): Promise<void> {
  for (const s of statements) await pool.query(s.text, s.values);
}

export default async function usagePageBench(): Promise<void> {
  const url = new URL(databaseUrl());
  url.pathname = "/usage_bench_usage_page";
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  await applyMigrations(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const db = createDb(url.toString(), 2);
  try {
    const seedStarted = performance.now();
    await seed(pool);
    console.log(`seeded ${ENTRIES.toLocaleString("en-US")} usage entries (${TEAM_ENTRIES.toLocaleString("en-US")} for the measured team) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const deps = usageDeps(db, fixedClock(NOW), config);
    const owner = { userId: "bu-0", role: "OWNER" as const };
    const cycle = { kind: "cycle", offset: 0 } as const;
    const cycleWindow: EntryWindow = { costCenterId: CC, from: CYCLE_START, to: CYCLE_END, filters: {} };
    const memberWindow: EntryWindow = { ...cycleWindow, filters: { userId: MEMBER } };
    const recentWindow: EntryWindow = { ...cycleWindow, from: new Date(NOW.getTime() - RUN_RATE_WINDOW_MS), to: NOW };
    const teamLookup = { text: `SELECT t.*, c.* FROM "Team" t JOIN "CostCenter" c ON c."teamId" = t.id WHERE t.id = $1`, values: [TEAM] };
    const running = {
      text: `SELECT i."workspaceClass", i."startedAt", i."stoppingAt", e."creditCents", e.draft FROM "WorkspaceInstance" i LEFT JOIN "UsageEntry" e ON e."instanceId" = i.id WHERE i."costCenterId" = $1 AND i."stoppedAt" IS NULL`,
      values: [CC],
    };
    const lookups = async (...extra: { text: string; values: unknown[] }[]) => {
      await pool.query(teamLookup.text, teamLookup.values);
      for (const q of extra) await pool.query(q.text, q.values);
    };

    const cases: { name: string; service: () => Promise<unknown>; baseline: () => Promise<unknown>; rows: () => Promise<string> }[] = [
      {
        name: "cycle summary",
        service: () => cycleSummary(deps, TEAM, owner),
        baseline: async () => {
          await lookups(running);
          await raw(pool, [totalsSql(recentWindow), draftsSql(recentWindow)]);
        },
        rows: async () => `${(await pool.query(totalsSql(recentWindow).text, totalsSql(recentWindow).values)).rows[0]?.entries} entries in the 7-day window`,
      },
      {
        name: "chart series",
        service: () => dailySeries(deps, { teamId: TEAM, range: cycle, filters: {} }, owner),
        baseline: async () => {
          await lookups();
          await raw(pool, [seriesSql(cycleWindow, "Europe/Berlin"), draftsSql(cycleWindow)]);
        },
        rows: async () => `${(await pool.query(totalsSql(cycleWindow).text, totalsSql(cycleWindow).values)).rows[0]?.entries} entries in the cycle`,
      },
      {
        name: "first table page (50)",
        service: () => usageEntries(deps, { teamId: TEAM, range: cycle, filters: {}, limit: 50 }, owner),
        baseline: async () => {
          await lookups();
          await raw(pool, [entriesPageSql(cycleWindow, null, 51)]);
        },
        rows: async () => "50 rows",
      },
      {
        name: "one member's breakdown",
        service: () => usageBreakdown(deps, { teamId: TEAM, range: cycle, filters: { userId: MEMBER } }, owner),
        baseline: async () => {
          await lookups();
          await raw(pool, [byMemberSql(memberWindow), byClassSql(memberWindow), draftsSql(memberWindow)]);
        },
        rows: async () => `${(await pool.query(totalsSql(memberWindow).text, totalsSql(memberWindow).values)).rows[0]?.entries} entries of ${MEMBER}`,
      },
    ];

    console.log(`${RUNS} runs each after ${WARMUP} warm-up runs; times in ms`);
    console.log("query                      | service p50 | service p99 | raw pg p50 | raw pg p99 | goal p99 < 50 | data");
    console.log("---------------------------|-------------|-------------|------------|------------|---------------|-----");
    for (const c of cases) {
      const service = await measure(c.service);
      const baseline = await measure(c.baseline);
      const cells = [service.p50, service.p99, baseline.p50, baseline.p99].map((v) => v.toFixed(2).padStart(11));
      console.log(`${c.name.padEnd(27)}|${cells.join(" |")} | ${service.p99 < 50 ? "met" : "MISSED"}           | ${await c.rows()}`);
    }
  } finally {
    await closeDb(db);
    await pool.end();
    await dropDatabase(url.toString());
  }
}
