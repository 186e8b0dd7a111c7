// Test helpers for the ledger's integration tests: teams with cost centers, instances written
// with plain SQL (as the ingest API would leave them), a config with rate changes, and the
// oracle's view of that config.
import type pg from "pg";
import { parseConfig, type AppConfig } from "../../config/config";
import { logger } from "../../lib/logger";
import { addMonthsClamped } from "../../domain/billing-cycle";
import type { OracleRates } from "../../testing/ledger-oracle";

export const quietLogger = logger.child({}, { level: "silent" });

export function testConfig(overrides: { rateChanges?: { workspaceClass: string; creditsPerHour: number; effectiveAt: string }[]; batchSize?: number } = {}): AppConfig {
  return parseConfig({
    schedules: {},
    creditsPerHourByWorkspaceClass: { default: 10, "g1-small": 5, "g1-standard": 10, "g1-large": 20.25 },
    rateChanges: overrides.rateChanges ?? [],
    defaultSpendingLimit: 500,
    ledger: { batchSize: overrides.batchSize ?? 7, watermarkOverlapSeconds: 600 },
    stripe: { priceIds: { usd: "p_usd", eur: "p_eur" }, meterEventName: "credits" },
  });
}

export function oracleRatesOf(config: AppConfig): OracleRates {
  return {
    base: Object.fromEntries(config.centsPerHourByClass),
    changes: config.rateChanges.map((c) => ({ workspaceClass: c.workspaceClass, centsPerHour: c.centsPerHour, effectiveAt: c.effectiveAt })),
  };
}

export interface InstanceRow {
  id: string;
  costCenterId: string;
  workspaceClass: string;
  startedAt: Date | null;
  stoppingAt: Date | null;
  stoppedAt: Date | null;
  updatedAt: Date;
}

/** Inserts or replaces instances (every column the ledger reads), one statement. */
export async function putInstances(pool: pg.Pool, rows: InstanceRow[]): Promise<void> {
  if (rows.length === 0) return;
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await pool.query(
    `INSERT INTO "WorkspaceInstance" (id, "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass",
                                      "startedAt", "stoppingAt", "stoppedAt", "createdAt", "updatedAt")
     SELECT r.id, 'ws-' || r.id, c."teamId", r.cc, 'user-' || r.id, r.cls, r.started, r.stopping, r.stopped,
            COALESCE(r.started, r.updated), r.updated
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
       AS r(id, cc, cls, started, stopping, stopped, updated)
     JOIN "CostCenter" c ON c.id = r.cc
     ON CONFLICT (id) DO UPDATE SET "workspaceClass" = EXCLUDED."workspaceClass", "startedAt" = EXCLUDED."startedAt",
       "stoppingAt" = EXCLUDED."stoppingAt", "stoppedAt" = EXCLUDED."stoppedAt", "updatedAt" = EXCLUDED."updatedAt"`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.costCenterId),
      rows.map((r) => r.workspaceClass),
      rows.map((r) => iso(r.startedAt)),
      rows.map((r) => iso(r.stoppingAt)),
      rows.map((r) => iso(r.stoppedAt)),
      rows.map((r) => r.updatedAt.toISOString()),
    ],
  );
}

/** Teams with FREE cost centers anchored at `anchor`; returns the cost-center ids. */
export async function createCostCenters(pool: pg.Pool, prefix: string, count: number, anchor: Date, limitCents = 50_000n): Promise<string[]> {
  const teams = Array.from({ length: count }, (_, i) => `${prefix}-team-${i}`);
  await pool.query(`INSERT INTO "Team" (id, name) SELECT t, t FROM unnest($1::text[]) t`, [teams]);
  const next = addMonthsClamped(anchor, 1);
  const res = await pool.query<{ id: string }>(
    `INSERT INTO "CostCenter" ("teamId", "spendingLimitCents", "freeSpendingLimitCents", "cycleAnchor", "billingCycleStart", "nextBillingTime")
     SELECT t, $2, $2, $3, $3, $4 FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n
     RETURNING id`,
    [teams, limitCents.toString(), anchor.toISOString(), next.toISOString()],
  );
  return res.rows.map((r) => r.id);
}

/** Entries and balances, for "running again changes nothing" comparisons. */
export async function ledgerSnapshot(pool: pg.Pool): Promise<string> {
  const entries = await pool.query(
    `SELECT kind, "instanceId", "idempotencyKey", "creditCents"::text, draft, "effectiveAt", "stoppedAt", "updatedAt" FROM "UsageEntry" ORDER BY id`,
  );
  const balances = await pool.query(`SELECT id, "balanceCents"::text, "billingCycleStart", "nextBillingTime" FROM "CostCenter" ORDER BY id`);
  return JSON.stringify({ entries: entries.rows, balances: balances.rows });
}
