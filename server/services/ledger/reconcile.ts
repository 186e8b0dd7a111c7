// Reconciliation (SPEC §3.3): brings WORKSPACE usage entries and their cost centers' balances up to
// date, set-based. Prices are computed in SQL from the same rate timelines as the TypeScript
// pricing function (server/domain/pricing.ts); a test proves both agree to the credit cent.
//
// Concurrency: every writer of WORKSPACE entries first locks the affected cost-center rows
// (FOR NO KEY UPDATE, in id order, so two writers never deadlock). Holding those locks, the batch
// statement reads each entry's old value and applies new − old to the balance, so overlapping runs
// and the ingest API never double-count a delta. Final entries are never touched again.
import type { AppConfig } from "../../config/config";
import type { Db, DbOrTx } from "../../db/client";
import { inTransaction, type Sql } from "../../db/sql";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { DEFAULT_RATE_KEY, pricingFromConfig, ratePeriods, type PricingTable } from "../../domain/pricing";

export interface ReconcileDeps {
  pricing: PricingTable;
  clock: Clock;
  logger: Logger;
}

export interface BatchResult {
  /** Entries inserted or changed. */
  updated: number;
  inserted: number;
  finalized: number;
  /** Instances whose cost center does not exist (nothing written for them). */
  orphaned: number;
  unknownClasses: string[];
  stopBeforeStart: number;
}

/** SQL parameters describing the rate timelines (unbounded ends as ±infinity). */
interface RateParams {
  keys: string[];
  rates: string[];
  froms: string[];
  untils: string[];
  known: string[];
}

function rateParams(pricing: PricingTable): RateParams {
  const periods = ratePeriods(pricing);
  return {
    keys: periods.map((p) => p.key),
    rates: periods.map((p) => p.centsPerHour.toString()),
    froms: periods.map((p) => p.from?.toISOString() ?? "-infinity"),
    untils: periods.map((p) => p.until?.toISOString() ?? "infinity"),
    known: [...new Set(periods.map((p) => p.key))],
  };
}

/** Counts are int8: bigint through Prisma, string through node-postgres. */
type Count = bigint | string;

interface BatchRow {
  updated: Count;
  inserted: Count;
  finalized: Count;
  found: Count;
  unknown_classes: string[] | null;
  stop_before_start: Count;
}

// Parameters: $1–$4 the rate periods (key, cents/hour, from, until), $5 the known class keys,
// $6 the default rate key, $7 the locked cost centers, $8 the instance ids, $9 "now".
const RECONCILE_STATEMENT = `
  WITH periods AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])
      AS p(key, rate, "from", until)
  ),
  inst AS (
    SELECT i.id, i."costCenterId", i."userId", i."workspaceClass", i."startedAt",
           COALESCE(i."startedAt", i."createdAt") AS effective_at,
           COALESCE(i."stoppingAt", i."stoppedAt") AS stop_at,
           CASE WHEN i."workspaceClass" = ANY($5::text[]) THEN i."workspaceClass" ELSE $6::text END AS rate_key
    FROM "WorkspaceInstance" i
    JOIN unnest($7::text[]) AS l(id) ON l.id = i."costCenterId"
    WHERE i.id = ANY($8::text[])
  ),
  priced AS (
    SELECT inst.*,
           (inst.stop_at IS NOT NULL AND inst."startedAt" IS NOT NULL) AS final,
           CASE WHEN inst."startedAt" IS NULL THEN 0::bigint ELSE div(COALESCE((
             SELECT SUM(p.rate * (
               (EXTRACT(EPOCH FROM LEAST(COALESCE(inst.stop_at, $9::timestamptz), p.until)) * 1000)::bigint
               - (EXTRACT(EPOCH FROM GREATEST(inst."startedAt", p."from")) * 1000)::bigint))
             FROM periods p
             WHERE p.key = inst.rate_key
               AND p."from" < COALESCE(inst.stop_at, $9::timestamptz)
               AND p.until > inst."startedAt"
               AND COALESCE(inst.stop_at, $9::timestamptz) > inst."startedAt"
           ), 0) * 2 + 3600000, 7200000)::bigint END AS cents
    FROM inst
  ),
  old AS (
    SELECT e."instanceId", e."creditCents", e.draft FROM "UsageEntry" e WHERE e."instanceId" = ANY($8::text[])
  ),
  upserted AS (
    INSERT INTO "UsageEntry" AS e ("costCenterId", kind, "instanceId", "creditCents", draft, "effectiveAt",
                                   "workspaceClass", "userId", "startedAt", "stoppedAt", "createdAt", "updatedAt")
    SELECT p."costCenterId", 'WORKSPACE', p.id, p.cents, NOT p.final, p.effective_at,
           p."workspaceClass", p."userId", p."startedAt", CASE WHEN p.final THEN p.stop_at END, $9::timestamptz, $9::timestamptz
    FROM priced p
    ON CONFLICT ("instanceId") DO UPDATE SET
      "creditCents" = EXCLUDED."creditCents",
      draft = EXCLUDED.draft,
      "effectiveAt" = EXCLUDED."effectiveAt",
      "workspaceClass" = EXCLUDED."workspaceClass",
      "userId" = EXCLUDED."userId",
      "startedAt" = EXCLUDED."startedAt",
      "stoppedAt" = EXCLUDED."stoppedAt",
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE e.draft
      AND (e."creditCents", e.draft, e."effectiveAt", e."workspaceClass", e."userId", e."startedAt", e."stoppedAt")
          IS DISTINCT FROM
          (EXCLUDED."creditCents", EXCLUDED.draft, EXCLUDED."effectiveAt", EXCLUDED."workspaceClass", EXCLUDED."userId", EXCLUDED."startedAt", EXCLUDED."stoppedAt")
      -- A draft only grows: a run priced at an earlier "now" (overlapping runs) must not shrink
      -- it, unless the pricing inputs themselves changed.
      AND (NOT EXCLUDED.draft
           OR EXCLUDED."creditCents" >= e."creditCents"
           OR EXCLUDED."startedAt" IS DISTINCT FROM e."startedAt"
           OR EXCLUDED."workspaceClass" IS DISTINCT FROM e."workspaceClass")
    RETURNING e."costCenterId", e."instanceId", e."creditCents", e.draft
  ),
  changes AS (
    SELECT u."costCenterId", u."creditCents" - COALESCE(o."creditCents", 0) AS delta,
           o."instanceId" IS NULL AS inserted,
           (NOT u.draft AND (o."instanceId" IS NULL OR o.draft)) AS finalized
    FROM upserted u LEFT JOIN old o ON o."instanceId" = u."instanceId"
  ),
  -- Data-modifying CTEs always run to completion, referenced or not.
  balances AS (
    UPDATE "CostCenter" c SET "balanceCents" = c."balanceCents" + d.delta
    FROM (SELECT "costCenterId", SUM(delta)::bigint AS delta FROM changes GROUP BY "costCenterId") d
    WHERE c.id = d."costCenterId" AND d.delta <> 0
  )
  SELECT (SELECT count(*) FROM changes) AS updated,
         (SELECT count(*) FROM changes WHERE inserted) AS inserted,
         (SELECT count(*) FROM changes WHERE finalized) AS finalized,
         (SELECT count(*) FROM priced) AS found,
         (SELECT count(*) FROM priced WHERE final AND stop_at < "startedAt") AS stop_before_start,
         (SELECT array_agg(DISTINCT "workspaceClass") FROM priced WHERE rate_key <> "workspaceClass") AS unknown_classes`;

/**
 * Reconciles exactly these instances at `now` inside the caller's transaction. Must run in a
 * transaction: the cost-center locks taken first are what make the balance deltas exact. Every
 * writer locks the cost centers of the instances it writes (`costCenterIds` when the caller
 * already knows them, else looked up), so two writers of one entry are always serialized.
 */
async function reconcileBatch(
  sql: Sql,
  ids: string[],
  costCenterIds: string[] | null,
  now: Date,
  rates: RateParams,
): Promise<BatchResult> {
  if (ids.length === 0) return { updated: 0, inserted: 0, finalized: 0, orphaned: 0, unknownClasses: [], stopBeforeStart: 0 };
  // Lock the cost centers first; the batch then only reconciles instances whose cost center it
  // holds (which also skips instances pointing at no cost center).
  const locked = (
    costCenterIds
      ? await sql.query<{ id: string }>(`SELECT c.id FROM "CostCenter" c WHERE c.id = ANY($1::text[]) ORDER BY c.id FOR NO KEY UPDATE`, [costCenterIds])
      : await sql.query<{ id: string }>(
          `SELECT c.id FROM "CostCenter" c
          WHERE c.id IN (
            SELECT i."costCenterId" FROM "WorkspaceInstance" i WHERE i.id = ANY($1::text[])
            UNION
            SELECT e."costCenterId" FROM "UsageEntry" e WHERE e."instanceId" = ANY($1::text[])
          )
          ORDER BY c.id
          FOR NO KEY UPDATE`,
          [ids],
        )
  ).map((r) => r.id);
  const rows = await sql.query<BatchRow>(RECONCILE_STATEMENT, [rates.keys, rates.rates, rates.froms, rates.untils, rates.known, DEFAULT_RATE_KEY, locked, ids, now]);
  const row = rows[0];
  if (!row) throw new Error("reconciliation statement returned no row");
  return {
    updated: Number(row.updated),
    inserted: Number(row.inserted),
    finalized: Number(row.finalized),
    orphaned: ids.length - Number(row.found),
    unknownClasses: row.unknown_classes ?? [],
    stopBeforeStart: Number(row.stop_before_start),
  };
}

function logBatchWarnings(logger: Logger, result: BatchResult): void {
  if (result.unknownClasses.length) logger.warn({ classes: result.unknownClasses }, "unknown workspace classes priced at the default rate");
  if (result.stopBeforeStart) logger.warn({ instances: result.stopBeforeStart }, "instances stopped before they started count as zero");
  if (result.orphaned) logger.warn({ instances: result.orphaned }, "instances without a cost center were not reconciled");
}

/**
 * Brings exactly these instances' WORKSPACE entries (draft or final) and their cost centers'
 * balances up to date, inside the caller's transaction. Called by the ingest API right after it
 * upserts instances, so a stop event finalizes the entry at once. `costCenterIds`, when the caller
 * knows them, must include the cost center of every instance (and of its entry).
 */
export async function reconcileInstances(
  sql: Sql,
  instanceIds: string[],
  deps: ReconcileDeps,
  costCenterIds: string[] | null = null,
): Promise<{ updated: number }> {
  const ids = [...new Set(instanceIds)].sort();
  const ccs = costCenterIds && [...new Set(costCenterIds)].sort();
  const result = await reconcileBatch(sql, ids, ccs, deps.clock.now(), rateParams(deps.pricing));
  logBatchWarnings(deps.logger, result);
  return { updated: result.updated };
}

/** The watermark of the newest successful ledger run, or null when there was none. */
export async function lastLedgerWatermark(db: DbOrTx): Promise<Date | null> {
  const rows = await db.$queryRaw<{ watermark: Date }[]>`
    SELECT watermark FROM "JobRun"
    WHERE job = 'ledger' AND outcome = 'SUCCEEDED' AND watermark IS NOT NULL
    ORDER BY "startedAt" DESC, id DESC LIMIT 1`;
  return rows[0]?.watermark ?? null;
}

/**
 * Instances a run must look at: every one (first run), or those changed since `since`, every
 * running instance and every instance whose entry is still a draft. Ordered by cost center so a
 * batch touches (and locks) few cost centers.
 */
async function candidates(db: Db, since: Date | null): Promise<{ ids: string[]; costCenterIds: string[] }> {
  type Row = { ids: string[] | null; ccs: string[] | null };
  const rows =
    since === null
      ? await db.$queryRaw<Row[]>`
          SELECT array_agg(id ORDER BY "costCenterId", id) AS ids, array_agg("costCenterId" ORDER BY "costCenterId", id) AS ccs
          FROM "WorkspaceInstance"`
      : await db.$queryRaw<Row[]>`
          SELECT array_agg(id ORDER BY "costCenterId", id) AS ids, array_agg("costCenterId" ORDER BY "costCenterId", id) AS ccs FROM (
            SELECT id, "costCenterId" FROM "WorkspaceInstance" WHERE "updatedAt" >= ${since}::timestamptz
            UNION
            SELECT id, "costCenterId" FROM "WorkspaceInstance" WHERE "stoppedAt" IS NULL AND "stoppingAt" IS NULL
            UNION
            SELECT i.id, i."costCenterId" FROM "UsageEntry" e JOIN "WorkspaceInstance" i ON i.id = e."instanceId"
            WHERE e.draft AND e.kind = 'WORKSPACE'
          ) c`;
  return { ids: rows[0]?.ids ?? [], costCenterIds: rows[0]?.ccs ?? [] };
}

/** Batches reconciled concurrently by one run (each in its own transaction and connection). */
const BATCHES_IN_FLIGHT = 2;

export interface ReconcileUsageDeps {
  db: Db;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
}

/**
 * The ledger job. Without `opts.since` it continues from the last successful run's watermark
 * (minus the configured overlap, which covers transactions that committed late); `since: null`
 * reconciles every instance. Returns the new watermark: the instant this run started.
 */
export async function reconcileUsage(
  deps: ReconcileUsageDeps,
  opts: { since?: Date | null } = {},
): Promise<{ counts: Record<string, number>; watermark: Date }> {
  const now = deps.clock.now();
  const lastWatermark = opts.since === undefined ? await lastLedgerWatermark(deps.db) : opts.since;
  const overlapMs = deps.config.raw.ledger.watermarkOverlapSeconds * 1000;
  const since = lastWatermark === null ? null : new Date(lastWatermark.getTime() - overlapMs);
  const { ids, costCenterIds } = await candidates(deps.db, since);
  const rates = rateParams(pricingFromConfig(deps.config));
  const batchSize = deps.config.raw.ledger.batchSize;
  const counts = { candidates: ids.length, batches: 0, updated: 0, inserted: 0, finalized: 0, orphaned: 0, stopBeforeStart: 0 };
  const unknownClasses = new Set<string>();
  // A few batches in flight at once: batches are ordered by cost center, so they rarely wait on
  // each other's locks, and the database works on them in parallel.
  let nextOffset = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && nextOffset < ids.length) {
      const batch = ids.slice(nextOffset, nextOffset + batchSize);
      const batchCostCenters = [...new Set(costCenterIds.slice(nextOffset, nextOffset + batchSize))].sort();
      nextOffset += batchSize;
      try {
        const result = await inTransaction(deps.db, (sql) => reconcileBatch(sql, batch, batchCostCenters, now, rates));
        counts.batches += 1;
        counts.updated += result.updated;
        counts.inserted += result.inserted;
        counts.finalized += result.finalized;
        counts.orphaned += result.orphaned;
        counts.stopBeforeStart += result.stopBeforeStart;
        for (const cls of result.unknownClasses) unknownClasses.add(cls);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
  logBatchWarnings(deps.logger, { ...counts, unknownClasses: [...unknownClasses] });
  deps.logger.info({ since, ...counts }, "usage reconciled");
  return { counts, watermark: now };
}
