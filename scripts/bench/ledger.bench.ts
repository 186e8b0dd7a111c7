// Ledger reconciliation benchmark (issue: 1,000,000 instances, ~10 % running, the rest stopped
// within the window). Baseline, measured in the same run on the same data: ONE raw
// `INSERT … SELECT … ON CONFLICT DO UPDATE` of the same rows through pg (no balances, no batching,
// no rate timelines). Then the real reconciliation into an empty ledger, and again with nothing
// changed (the next run, continuing from the first run's watermark).
import path from "node:path";
import pg from "pg";
import { databaseUrl } from "../../server/config/env";
import { loadConfigFile } from "../../server/config/config";
import { closeDb, createDb } from "../../server/db/client";
import { dropDatabase, ensureDatabase } from "../../server/db/admin";
import { applyMigrations, projectRoot } from "../../server/db/schema-engine";
import { fixedClock } from "../../server/lib/clock";
import { logger } from "../../server/lib/logger";
import { reconcileUsage } from "../../server/services/ledger";

const INSTANCES = Number(process.env.BENCH_LEDGER_INSTANCES ?? 1_000_000);
const COST_CENTERS = 10_000;
const NOW = new Date("2026-11-01T12:00:00.000Z");

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(`INSERT INTO "Team" (id, name) SELECT 'bt-' || g, 'Bench ' || g FROM generate_series(1, $1::int) g`, [COST_CENTERS]);
  await pool.query(
    `INSERT INTO "CostCenter" (id, "teamId", "spendingLimitCents", "freeSpendingLimitCents", "cycleAnchor", "billingCycleStart", "nextBillingTime")
     SELECT 'bcc-' || g, 'bt-' || g, 50000, 50000, $2::timestamptz - interval '10 days', $2::timestamptz - interval '10 days', $2::timestamptz + interval '20 days'
     FROM generate_series(1, $1::int) g`,
    [COST_CENTERS, NOW.toISOString()],
  );
  // Instance ids are UUIDs, as the workspace platform sends them (so neither run gets to insert
  // them in index order). Starts spread over the last three days (ending 3 h before "now"); every tenth instance still
  // runs, the others ran 1 s – 2 h. updatedAt is the last event, well before the watermark overlap.
  await pool.query(
    `INSERT INTO "WorkspaceInstance" (id, "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass",
                                      "startedAt", "stoppedAt", "createdAt", "updatedAt")
     SELECT s.id, s.ws, s.team, s.cc, s.usr, s.cls, s.started, s.stopped, s.started, COALESCE(s.stopped, s.started)
     FROM (
       SELECT md5('bench-instance-' || g)::uuid::text AS id, 'ws-' || g AS ws, 'bt-' || (g % $2::int + 1) AS team,
              'bcc-' || (g % $2::int + 1) AS cc, 'bu-' || (g % 50000) AS usr,
              (ARRAY['g1-small', 'g1-standard', 'g1-large'])[g % 3 + 1] AS cls,
              $3::timestamptz - interval '3 hours' - (g % 259200) * interval '1 second' - (g % 997) * interval '1 millisecond' AS started,
              CASE WHEN g % 10 = 0 THEN NULL
                   ELSE $3::timestamptz - interval '3 hours' - (g % 259200) * interval '1 second' + ((g::bigint * 7919) % 7200 + 1) * interval '1 second' END AS stopped
       FROM generate_series(1, $1::int) g
     ) s`,
    [INSTANCES, COST_CENTERS, NOW.toISOString()],
  );
  await pool.query(`VACUUM ANALYZE "WorkspaceInstance"`);
  await pool.query(`VACUUM ANALYZE "CostCenter"`);
}

async function baseline(pool: pg.Pool): Promise<number> {
  const res = await pool.query(
    `INSERT INTO "UsageEntry" ("costCenterId", kind, "instanceId", "creditCents", draft, "effectiveAt", "workspaceClass", "userId",
                               "startedAt", "stoppedAt", "createdAt", "updatedAt")
     SELECT i."costCenterId", 'WORKSPACE', i.id,
            (CASE i."workspaceClass" WHEN 'g1-small' THEN 500 WHEN 'g1-large' THEN 2000 ELSE 1000 END
              * ((EXTRACT(EPOCH FROM COALESCE(i."stoppedAt", $1::timestamptz)) - EXTRACT(EPOCH FROM i."startedAt")) * 1000)::bigint
              * 2 + 3600000) / 7200000,
            i."stoppedAt" IS NULL, i."startedAt", i."workspaceClass", i."userId", i."startedAt", i."stoppedAt", $1::timestamptz, $1::timestamptz
     FROM "WorkspaceInstance" i
     ON CONFLICT ("instanceId") DO UPDATE SET "creditCents" = EXCLUDED."creditCents", draft = EXCLUDED.draft, "updatedAt" = EXCLUDED."updatedAt"`,
    [NOW.toISOString()],
  );
  return res.rowCount ?? 0;
}

export default async function ledgerBench(): Promise<void> {
  const url = new URL(databaseUrl());
  url.pathname = "/usage_bench_ledger";
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  await applyMigrations(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const db = createDb(url.toString(), 4);
  try {
    const config = loadConfigFile(path.join(projectRoot, "usage.config.example.json"));
    const quiet = logger.child({}, { level: "warn" });
    const seeded = await timed(() => seed(pool));
    console.log(`seeded ${INSTANCES.toLocaleString("en-US")} instances over ${COST_CENTERS.toLocaleString("en-US")} cost centers in ${seeded.seconds.toFixed(1)} s`);

    // Each measured phase starts right after a checkpoint, so neither pays more full-page writes.
    await pool.query(`CHECKPOINT`);
    const base = await timed(() => baseline(pool));
    // Back to an empty ledger for the real run.
    await pool.query(`TRUNCATE "UsageEntry"`);
    await pool.query(`UPDATE "CostCenter" SET "balanceCents" = 0`);
    await pool.query(`CHECKPOINT`);

    const deps = { db, config, clock: fixedClock(NOW), logger: quiet };
    const first = await timed(() => reconcileUsage(deps, { since: null }));
    await pool.query(`INSERT INTO "JobRun" (job, trigger, "startedAt", "finishedAt", outcome, watermark) VALUES ('ledger', 'manual', $1, $1, 'SUCCEEDED', $2)`, [
      NOW.toISOString(),
      first.result.watermark.toISOString(),
    ]);
    const second = await timed(() => reconcileUsage(deps));

    // The summary must equal the ledger it summarises.
    const check = await pool.query<{ bad: string; entries: string }>(
      `SELECT (SELECT count(*) FROM "CostCenter" c WHERE c."balanceCents" <> COALESCE((SELECT SUM("creditCents") FROM "UsageEntry" e WHERE e."costCenterId" = c.id), 0)) AS bad,
              (SELECT count(*) FROM "UsageEntry") AS entries`,
    );
    const rate = (n: number, s: number) => Math.round(n / s);
    const baseRate = rate(base.result, base.seconds);
    const rows = [
      ["baseline: one INSERT … SELECT … ON CONFLICT DO UPDATE (pg)", base.result, base.seconds, baseRate, 1],
      ["reconcileUsage, empty ledger", first.result.counts.candidates ?? 0, first.seconds, rate(INSTANCES, first.seconds), rate(INSTANCES, first.seconds) / baseRate],
      ["reconcileUsage, nothing changed (next run)", second.result.counts.candidates ?? 0, second.seconds, rate(INSTANCES, second.seconds), rate(INSTANCES, second.seconds) / baseRate],
    ] as const;
    console.log("| run | instances looked at | seconds | instances/s (of 1M) | × baseline |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [name, n, s, r, x] of rows) {
      console.log(`| ${name} | ${n.toLocaleString("en-US")} | ${s.toFixed(2)} | ${r.toLocaleString("en-US")} | ${x.toFixed(2)} |`);
    }
    console.log(`first run / baseline throughput: ${(rate(INSTANCES, first.seconds) / baseRate).toFixed(2)} (goal ≥ 0.5)`);
    console.log(`no-change run speed-up over the first: ${(first.seconds / second.seconds).toFixed(1)}× (goal ≥ 5×)`);
    console.log(
      `first run: ${JSON.stringify(first.result.counts)}; second: ${JSON.stringify(second.result.counts)}; ledger entries ${check.rows[0]?.entries}; balances ≠ sum of entries: ${check.rows[0]?.bad}`,
    );
  } finally {
    await closeDb(db);
    await pool.end();
    await dropDatabase(url.toString());
  }
}
