// `npm run demo`: from a fresh clone to the running demo. Checks PostgreSQL and Redis (and says
// exactly what to do when one is missing), migrates and seeds the demo database, builds the app,
// then runs the local Stripe emulator, the web app, the worker and the workspace simulator until
// Ctrl-C. Re-running it rebuilds the demo database.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import pg from "pg";
import { Redis } from "ioredis";
import { seed, seedPaidPeriodUsage } from "../prisma/seed";
import { createDb } from "../server/db/client";
import { dropDatabase, ensureDatabase } from "../server/db/admin";
import { applyMigrations } from "../server/db/schema-engine";
import { addMonthsClamped } from "../server/domain/billing-cycle";
import { closeFirstPaidPeriod, upgradeThroughCheckout } from "./demo-billing";

const port = Number(process.env.PORT ?? 3000);
const appUrl = `http://localhost:${port}`;
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@localhost:5432/usage_portal";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const stripePort = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);

function fail(lines: string[]): never {
  console.error(["", ...lines, ""].join("\n"));
  process.exit(1);
}

async function checkPostgres() {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (e) {
    fail([
      `PostgreSQL is not reachable at ${admin.host} (${(e as Error).message}).`,
      "Start it, then run `npm run demo` again. On Debian/Ubuntu:",
      "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
      "or point DATABASE_URL at a server you have (the user needs CREATEDB).",
    ]);
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    fail([
      `Redis is not reachable at ${redisUrl} (${(e as Error).message}).`,
      "Start it, then run `npm run demo` again:",
      '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
      "or set REDIS_URL.",
    ]);
  } finally {
    redis.disconnect();
  }
}

/** A stable AUTH_SECRET for the demo (kept in .demo/, which git ignores). */
function demoSecret(name: string): string {
  mkdirSync(".demo", { recursive: true });
  const file = `.demo/${name}`;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret);
  return secret;
}

function run(step: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  console.log(`→ ${step}`);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) fail([`${step} failed (exit ${result.status ?? "signal"}). See the output above.`]);
}

await checkPostgres();
await checkRedis();

const seedNow = new Date();
const paidSince = addMonthsClamped(seedNow, -1);
const ingestKey = process.env.INGEST_API_KEY ?? `demo-${demoSecret("ingest-key")}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  AUTH_URL: appUrl,
  APP_URL: appUrl,
  AUTH_SECRET: process.env.AUTH_SECRET ?? demoSecret("auth-secret"),
  DEMO_MODE: "1",
  INGEST_API_KEY: ingestKey,
  STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY ?? "sk_test_demo",
  STRIPE_API_BASE: process.env.STRIPE_API_BASE ?? `http://localhost:${stripePort}`,
  STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_local_emulator_secret",
  STRIPE_EMULATOR_PORT: String(stripePort),
  // The emulator's clock starts a month back, so Initech can be on the paid plan for a month and
  // the demo can close that period (see scripts/demo-billing.ts).
  STRIPE_EMULATOR_CLOCK_OFFSET_SECONDS: String(Math.floor((paidSince.getTime() - seedNow.getTime()) / 1000)),
  STRIPE_WEBHOOK_URL: `${appUrl}/api/stripe/webhook`,
  NEXT_TELEMETRY_DISABLED: "1",
};

// The demo owns its database: rebuilt from the migrations every time, so an older demo's schema
// or data never gets in the way.
console.log(`→ Recreating the demo database (${new URL(databaseUrl).pathname.slice(1)})`);
await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
// This process also uses the app's services (seed, Stripe billing): same environment as the children.
Object.assign(process.env, env);
const demoDb = createDb(databaseUrl, 2);
console.log("→ Seeding demo data");
await seed(demoDb, seedNow, { deferPaidUsageFrom: paidSince });
run("Building the web app", "npx", ["next", "build"], env);

const children: ChildProcess[] = [];
function start(name: string, command: string, args: string[]) {
  // Each child leads its own process group, so stopping the demo stops everything it started
  // (npx and next start spawn grandchildren that a plain kill would orphan).
  const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env, detached: true });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${code ?? signal}); stopping the demo.`);
      void stop(1);
    }
  });
  children.push(child);
}

async function waitFor(url: string, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  fail([`${what} did not come up at ${url} within ${timeoutMs / 1000} s.`]);
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  }
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("SIGHUP", () => void stop(0));

start("Stripe emulator", "npx", ["tsx", "server/stripe/emulator/main.ts"]);
await waitFor(`http://localhost:${stripePort}/_emulator/clock`, "The Stripe emulator");
start("Web app", "npx", ["next", "start", "-p", String(port)]);
await waitFor(`${appUrl}/api/health`, "The web app");
start("Worker", "npx", ["tsx", "worker/main.ts"]);
console.log("→ Initech upgrades through the emulator's Checkout; its last month is billed");
const { subscriptionId } = await upgradeThroughCheckout(demoDb, { teamId: "team-initech", appUrl });
await seedPaidPeriodUsage(demoDb, seedNow, paidSince);
const { invoicedCents } = await closeFirstPaidPeriod(demoDb, { teamId: "team-initech", subscriptionId, emulatorUrl: `http://localhost:${stripePort}` });
console.log(`  Initech's first invoice: ${(Number(invoicedCents) / 100).toFixed(2)} credits`);
start("Simulator", "npx", ["tsx", "scripts/simulate.ts", "--teams", "3", "--rate", "0.3", "--url", appUrl, "--key", ingestKey]);

console.log(`
Demo running at ${appUrl}  (Ctrl-C stops everything)

One-click demo accounts on the sign-in page:
  alice@acme.test     owner,  Acme Corp (free, well under its limit)
  bob@acme.test       member, Acme Corp
  grace@globex.test   owner,  Globex (free, ~85 % of its limit)
  peter@initech.test  owner,  Initech (paying through the Stripe emulator)
  admin@example.com   platform admin

Machine API key for this demo: ${ingestKey}
Stripe emulator: http://localhost:${stripePort} · worker health: http://localhost:${process.env.WORKER_PORT ?? 9464}/health
`);
