// Machine API benchmark against the production server (`next start`), on a scratch database:
//
// 1. Ingest: events/second over HTTP (batches of 1,000 unique events, several concurrent
//    clients; 60 % of each batch are complete sessions started+stopped, finalized on the way in,
//    the rest starts of running workspaces). Baseline in the same run: the same rows inserted
//    straight into PostgreSQL (one `INSERT … SELECT FROM unnest` per batch, same concurrency) into
//    a copy of the raw-events table. Goal: ingest ≥ 0.3 × baseline. Then, to show where the time
//    goes, CPU per batch with one batch at a time in-process (the ingest service vs the raw
//    insert): this process's CPU and that of every PostgreSQL process on the machine.
// 2. Spending check: p50/p99 with 50 concurrent clients on a database holding 10,000 teams (each
//    with running instances, so the live-credit path is exercised). Baseline: the same reads
//    (team + cost center, running instances) straight through pg at the same concurrency.
//    Goal: p99 under 20 ms. Measured twice: at a steady 100 requests/s spread over the 50 clients (BENCH_CHECK_RATE)
//    (the platform asks before each start), and closed-loop (each client sends its next request
//    as soon as the previous one answers) to show the ceiling.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { appConfig } from "../../server/config/config";
import { databaseUrl } from "../../server/config/env";
import { dropDatabase, ensureDatabase } from "../../server/db/admin";
import { closeDb, createDb } from "../../server/db/client";
import { pricingFromConfig } from "../../server/domain/pricing";
import { systemClock } from "../../server/lib/clock";
import { logger } from "../../server/lib/logger";
import { ingestWorkspaceEvents, workspaceEventBatchSchema } from "../../server/services/ingest";
import { applyMigrations, projectRoot } from "../../server/db/schema-engine";
import type { SimEvent } from "../simulate";

const TEAMS = 10_000;
const BATCH = 1000;
const INGEST_CLIENTS = 4;
const INGEST_BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 80);
const CHECK_CLIENTS = 50;
const CHECK_SECONDS = Number(process.env.BENCH_CHECK_SECONDS ?? 10);
const PACED_RATE = Number(process.env.BENCH_CHECK_RATE ?? 100);
const API_KEY = "bench-ingest-key-0123456789abcdef";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: projectRoot, env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

async function seed(pool: pg.Pool, now: Date): Promise<void> {
  await pool.query(`INSERT INTO "Team" (id, name) SELECT 'bt-' || g, 'Bench ' || g FROM generate_series(1, $1::int) g`, [TEAMS]);
  await pool.query(
    `INSERT INTO "CostCenter" (id, "teamId", "spendingLimitCents", "freeSpendingLimitCents", "cycleAnchor", "billingCycleStart", "nextBillingTime")
     SELECT 'bcc-' || g, 'bt-' || g, 50000, 50000, $2::timestamptz - interval '10 days', $2::timestamptz - interval '10 days', $2::timestamptz + interval '20 days'
     FROM generate_series(1, $1::int) g`,
    [TEAMS, now.toISOString()],
  );
  // Per team: 3 running instances with draft entries and 5 stopped ones with final entries.
  await pool.query(
    `INSERT INTO "WorkspaceInstance" (id, "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass", "startedAt", "stoppedAt")
     SELECT 'seed-' || t || '-' || k, 'ws-' || t, 'bt-' || t, 'bcc-' || t, 'bu-' || t, (ARRAY['g1-small','g1-standard','g1-large'])[k % 3 + 1],
            $2::timestamptz - (k + 1) * interval '1 hour', CASE WHEN k < 3 THEN NULL ELSE $2::timestamptz - k * interval '1 hour' END
     FROM generate_series(1, $1::int) t, generate_series(0, 7) k`,
    [TEAMS, now.toISOString()],
  );
  await pool.query(
    `INSERT INTO "UsageEntry" ("costCenterId", kind, "instanceId", "creditCents", draft, "effectiveAt", "workspaceClass", "userId", "startedAt", "stoppedAt")
     SELECT i."costCenterId", 'WORKSPACE', i.id, 1000, i."stoppedAt" IS NULL, i."startedAt", i."workspaceClass", i."userId", i."startedAt", i."stoppedAt"
     FROM "WorkspaceInstance" i`,
  );
  await pool.query(`UPDATE "CostCenter" c SET "balanceCents" = s.total FROM (SELECT "costCenterId", SUM("creditCents") AS total FROM "UsageEntry" GROUP BY 1) s WHERE s."costCenterId" = c.id`);
  await pool.query(`CREATE TABLE bench_raw_events (LIKE "WorkspaceEvent" INCLUDING ALL)`);
  await pool.query(`VACUUM ANALYZE`);
}

/** The simulator's event shape: exactly what the platform sends to POST /api/v1/workspace-events. */
type BenchEvent = SimEvent;

/** Batch b of client c: 300 complete sessions (600 events) and 400 starts. Unique ids. */
function makeBatch(client: number, b: number, now: number): BenchEvent[] {
  const events: BenchEvent[] = [];
  for (let i = 0; events.length < BATCH; i++) {
    const n = (client * 1_000_003 + b * 1009 + i * 7919) % TEAMS;
    const instanceId = `b-${client}-${b}-${i}`;
    const base = {
      instanceId,
      workspaceId: `ws-${instanceId}`,
      teamId: `bt-${n + 1}`,
      userId: `bench-user-${n % 5000}`,
      userName: `Bench User ${n % 5000}`,
      workspaceClass: ["g1-small", "g1-standard", "g1-large"][i % 3] ?? "g1-small",
      contextUrl: "https://github.com/bench/repo",
    };
    const start = now - 3_600_000 + (i % 1800) * 1000;
    events.push({ ...base, id: `${instanceId}-a`, type: "started", occurredAt: new Date(start).toISOString() });
    if (i < 300) events.push({ ...base, id: `${instanceId}-c`, type: "stopped", occurredAt: new Date(start + 600_000 + i * 1000).toISOString() });
  }
  return events.slice(0, BATCH);
}

/** The baseline: the batch's raw events straight into a copy of the raw-events table. */
async function insertRaw(pool: pg.Pool, events: BenchEvent[]): Promise<void> {
  const col = <K extends keyof BenchEvent>(k: K) => events.map((e) => e[k]);
  await pool.query(
    `INSERT INTO bench_raw_events (id, type, "instanceId", "workspaceId", "teamId", "userId", "userName", "workspaceClass", "occurredAt", "contextUrl")
     SELECT * FROM unnest($1::text[], $2::"WorkspaceEventType"[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[])
     ON CONFLICT (id) DO NOTHING`,
    [col("id"), col("type"), col("instanceId"), col("workspaceId"), col("teamId"), col("userId"), col("userName"), col("workspaceClass"), col("occurredAt"), col("contextUrl")],
  );
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends serving `database` on this machine
 * (Linux /proc; autovacuum and background processes left out), or null when there are none.
 */
function postgresCpuMs(database: string): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let ticks = 0;
  let found = false;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    let title: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue; // the process ended while we listed them
    }
    // A client backend's title: "postgres: <cluster>: <user> <database> <host> <state>".
    if (!title.startsWith("postgres:") || !title.includes(` ${database} `) || title.includes("autovacuum")) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  // utime and stime are in USER_HZ ticks, 100 per second on Linux.
  return found ? ticks * 10 : null;
}

interface BatchCost {
  wallMs: number;
  nodeMs: number;
  postgresMs: number | null;
}

async function cpuPerBatch<T>(database: string, batches: T[], work: (batch: T) => Promise<void>): Promise<BatchCost> {
  const pg0 = postgresCpuMs(database);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const batch of batches) await work(batch);
  const wallMs = (performance.now() - t0) / batches.length;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuMs(database);
  return { wallMs, nodeMs: (cpu.user + cpu.system) / 1000 / batches.length, postgresMs: pg0 === null || pg1 === null ? null : (pg1 - pg0) / batches.length };
}

async function pooled<T>(clients: number, jobs: T[], work: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (job !== undefined) await work(job);
      }
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function latencyRun(seconds: number, paced: boolean, call: (team: string) => Promise<void>): Promise<{ samples: number[]; perSecond: number }> {
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const interval = (CHECK_CLIENTS / PACED_RATE) * 1000;
  let counter = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CHECK_CLIENTS }, async (_, client) => {
      // Paced clients start spread over one interval, then send on their own schedule.
      let due = started + (paced ? (client * interval) / CHECK_CLIENTS : 0);
      while (performance.now() < deadline) {
        if (paced) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          due += interval;
        }
        const team = `bt-${((counter++ * 7919) % TEAMS) + 1}`;
        const t0 = performance.now();
        await call(team);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return { samples: samples.sort((a, b) => a - b), perSecond: samples.length / ((performance.now() - started) / 1000) };
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("next start did not become healthy within 60 s");
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 22)).join("  ");
}

export default async function ingestBench(): Promise<void> {
  const url = new URL(databaseUrl());
  url.pathname = "/usage_bench_ingest";
  const dbUrl = url.toString();
  await dropDatabase(dbUrl);
  await ensureDatabase(dbUrl);
  await applyMigrations(dbUrl);
  const pool = new pg.Pool({ connectionString: dbUrl, max: CHECK_CLIENTS });
  const now = new Date();
  // The per-key rate limit would throttle a benchmark with one key; lift it in a temporary config.
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-ingest-"));
  const configPath = path.join(tmp, "usage.config.json");
  const baseConfig = JSON.parse(readFileSync(path.join(projectRoot, process.env.USAGE_CONFIG ?? "usage.config.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...baseConfig, rateLimits: { machineApiPerMinute: 10_000_000, mutationsPerMinute: 120, signInPerMinute: 20 } }));
  let server: ChildProcess | undefined;
  try {
    const seeded = performance.now();
    await seed(pool, now);
    console.log(`seeded ${TEAMS} teams, ${TEAMS * 8} instances in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    if (!existsSync(path.join(projectRoot, ".next/BUILD_ID"))) {
      console.log("no production build found: running next build …");
      await run(path.join(projectRoot, "node_modules/.bin/next"), ["build"], process.env);
    }
    const port = await freePort();
    const base = `http://localhost:${port}`;
    server = spawn(path.join(projectRoot, "node_modules/.bin/next"), ["start", "-p", String(port)], {
      cwd: projectRoot,
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, INGEST_API_KEY: API_KEY, USAGE_CONFIG: configPath, LOG_LEVEL: "error" },
    });
    await waitForHealth(base, server);
    const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

    // Warm-up: compile the routes, let the JIT settle and fill the connection pools.
    for (let b = 0; b < 3; b++) {
      await fetch(`${base}/api/v1/workspace-events`, { method: "POST", headers, body: JSON.stringify({ events: makeBatch(99, b, now.getTime()) }) });
    }
    await latencyRun(5, false, async (team) => {
      await (await fetch(`${base}/api/v1/spending-check`, { method: "POST", headers, body: JSON.stringify({ teamId: team }) })).arrayBuffer();
    });

    // --- Ingest over HTTP ---
    const jobs = Array.from({ length: INGEST_BATCHES }, (_, b) => ({ client: b % INGEST_CLIENTS, b }));
    const bodies = new Map(jobs.map((j) => [j.b, JSON.stringify({ events: makeBatch(j.client, j.b, now.getTime()) })]));
    let accepted = 0;
    const httpStart = performance.now();
    await pooled(INGEST_CLIENTS, jobs, async (job) => {
      const res = await fetch(`${base}/api/v1/workspace-events`, { method: "POST", headers, body: bodies.get(job.b) ?? "" });
      const json = (await res.json()) as { accepted?: number };
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(json)}`);
      accepted += json.accepted ?? 0;
    });
    const httpSeconds = (performance.now() - httpStart) / 1000;
    if (accepted !== INGEST_BATCHES * BATCH) throw new Error(`accepted ${accepted} of ${INGEST_BATCHES * BATCH} events`);

    // --- Baseline: the same raw rows straight into PostgreSQL ---
    const rawStart = performance.now();
    await pooled(INGEST_CLIENTS, jobs, async (job) => {
      await insertRaw(pool, makeBatch(job.client, job.b, now.getTime()));
    });
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const total = INGEST_BATCHES * BATCH;
    const httpRate = total / httpSeconds;
    const rawRate = total / rawSeconds;

    // --- Where the time goes: one batch at a time, in-process ---
    const SERIAL_BATCHES = 40;
    const serial = (client: number) => Array.from({ length: SERIAL_BATCHES }, (_, b) => makeBatch(client, b, now.getTime()));
    const serviceDb = createDb(dbUrl, 2);
    const config = appConfig();
    const serviceDeps = { db: serviceDb, config, pricing: pricingFromConfig(config), clock: systemClock, logger };
    // Vacuum first so autovacuum stays out of the way, and warm both paths' connections up.
    await pool.query("VACUUM ANALYZE");
    const dbName = url.pathname.slice(1);
    await insertRaw(pool, makeBatch(62, 0, now.getTime()));
    await ingestWorkspaceEvents(serviceDeps, makeBatch(63, 0, now.getTime()));
    const ingestCpu = await cpuPerBatch(
      dbName,
      serial(60).map((events) => JSON.stringify({ events })),
      async (body) => {
        // As the route does: parse the body and validate it, then ingest.
        const batch = workspaceEventBatchSchema.parse(JSON.parse(body));
        await ingestWorkspaceEvents(serviceDeps, batch.events);
      },
    );
    const rawCpu = await cpuPerBatch(dbName, serial(61), (events) => insertRaw(pool, events));
    await closeDb(serviceDb);

    // --- Spending check ---
    const check = async (team: string) => {
      const res = await fetch(`${base}/api/v1/spending-check`, { method: "POST", headers, body: JSON.stringify({ teamId: team }) });
      if (res.status !== 200) throw new Error(`spending check answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const rawCheck = async (team: string) => {
      await pool.query(
        `SELECT cc.id, cc.status, cc."balanceCents", cc."spendingLimitCents", cc."nextBillingTime", t."stopWorkspacesAtLimit"
         FROM "Team" t JOIN "CostCenter" cc ON cc."teamId" = t.id WHERE t.id = $1`,
        [team],
      );
      await pool.query(
        `SELECT i."workspaceClass", i."startedAt", i."stoppingAt", e."creditCents", e.draft FROM "WorkspaceInstance" i
         LEFT JOIN "UsageEntry" e ON e."instanceId" = i.id WHERE i."costCenterId" = $1 AND i."stoppedAt" IS NULL`,
        [`bcc-${team.slice(3)}`],
      );
    };
    // The ingest phase leaves autovacuum and checkpoint work behind; do it now so it does not land
    // in the middle of the latency measurement (the same for the app and the baseline).
    await pool.query("VACUUM ANALYZE");
    await pool.query("CHECKPOINT");
    const paced = await latencyRun(CHECK_SECONDS, true, check);
    const pacedRaw = await latencyRun(CHECK_SECONDS / 2, true, rawCheck);
    const closed = await latencyRun(CHECK_SECONDS / 2, false, check);
    const closedRaw = await latencyRun(CHECK_SECONDS / 2, false, rawCheck);

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
    console.log(`\nCPU: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length} (server, PostgreSQL and clients share it); load average ${load}`);
    console.log(row(["figure", "HTTP (next start)", "raw PostgreSQL", "ratio / goal"]));
    console.log(
      row([`ingest, ${INGEST_CLIENTS} clients × batches of ${BATCH}`, `${Math.round(httpRate)} ev/s`, `${Math.round(rawRate)} ev/s`, `${(httpRate / rawRate).toFixed(2)} (goal ≥ 0.30)`]),
    );
    console.log(row([`  (${total} events, ${INGEST_BATCHES} batches)`, `${httpSeconds.toFixed(1)} s`, `${rawSeconds.toFixed(1)} s`, ""]));
    const cpuText = (c: BatchCost) => `${c.nodeMs.toFixed(1)} + ${c.postgresMs === null ? "n/a" : c.postgresMs.toFixed(1)} ms (${c.wallMs.toFixed(0)} ms wall)`;
    console.log(row([`  CPU/batch one at a time: Node + PostgreSQL`, `${cpuText(ingestCpu)}`, cpuText(rawCpu), ""]));
    const pacedP99 = percentile(paced.samples, 99);
    console.log(
      row([`spending check p50, ${CHECK_CLIENTS} clients @${PACED_RATE}/s`, ms(percentile(paced.samples, 50)), ms(percentile(pacedRaw.samples, 50)), ""]),
    );
    console.log(row([`spending check p99, ${CHECK_CLIENTS} clients @${PACED_RATE}/s`, ms(pacedP99), ms(percentile(pacedRaw.samples, 99)), `goal < 20 ms ${pacedP99 < 20 ? "✓" : "✗"}`]));
    console.log(
      row([
        `spending check closed loop, ${CHECK_CLIENTS} clients`,
        `${Math.round(closed.perSecond)}/s p50 ${ms(percentile(closed.samples, 50))} p99 ${ms(percentile(closed.samples, 99))}`,
      ]),
    );
    console.log(
      row([
        `  raw PostgreSQL closed loop`,
        `${Math.round(closedRaw.perSecond)}/s p50 ${ms(percentile(closedRaw.samples, 50))} p99 ${ms(percentile(closedRaw.samples, 99))}`,
      ]),
    );
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    await pool.end();
    rmSync(tmp, { recursive: true, force: true });
    await dropDatabase(dbUrl);
  }
}
