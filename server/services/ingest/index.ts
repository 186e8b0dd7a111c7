// Workspace event ingestion (SPEC §3.3, §5): POST /api/v1/workspace-events.
//
// The batch is validated whole before anything is written: shapes (400, per event index and
// field), then references (422: unknown team, or an instance claimed by two teams). Then, in ONE
// transaction and set-based (no per-event queries):
//   1. raw events are inserted with ON CONFLICT (id) DO NOTHING — replays and a concurrent request
//      carrying the same ids become duplicates, never errors or double counts;
//   2. instances are upserted from the newly inserted events only, merging timestamps with LEAST so
//      any arrival order ends in the same row (a `stopped` before its `started` creates the
//      instance without a start; the start fills it in later);
//   3. unseen platform users are created;
//   4. the ledger reconciles the touched instances (draft on start, final on stop).
// Rows are inserted in key order so concurrent batches take row locks in the same order; a
// deadlock or serialization failure that still happens is retried a few times. The transaction
// runs as plain SQL on node-postgres (server/db/sql.ts): for 1,000-event batches Prisma's
// per-parameter serialization cost more CPU than the statements themselves.
import { z } from "zod";
import type { AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { inTransaction, type Sql } from "../../db/sql";
import { DomainError } from "../../domain/errors";
import type { PricingTable } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";
import { openCostCenterSql, reconcileInstances } from "../ledger";
import { teamIdSchema } from "../teams/provision";

export const MAX_EVENTS_PER_BATCH = 1000;

const id = (max: number) => z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullish();

export const workspaceEventSchema = z.strictObject({
  id: id(200),
  type: z.enum(["started", "stopping", "stopped"], "must be one of started, stopping, stopped"),
  instanceId: id(200),
  workspaceId: id(200),
  teamId: teamIdSchema,
  userId: id(200),
  userName: optionalText(200),
  workspaceClass: id(100),
  occurredAt: z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time with a time zone, e.g. 2026-03-01T12:00:00Z" }),
  contextUrl: optionalText(2048),
});

export const workspaceEventBatchSchema = z.strictObject({
  events: z.array(workspaceEventSchema).max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per request`),
});

export type WorkspaceEventInput = z.infer<typeof workspaceEventSchema>;

export interface IngestDeps {
  db: Db;
  clock: Clock;
  config: AppConfig;
  pricing: PricingTable;
  logger: Logger;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

interface EventIssue {
  index: number;
  field: string;
  reason: string;
}

const MAX_ATTEMPTS = 3;

export async function ingestWorkspaceEvents(deps: IngestDeps, events: readonly WorkspaceEventInput[]): Promise<IngestResult> {
  // The first occurrence of an id within the batch wins; later ones are duplicates like replays.
  const seen = new Set<string>();
  const unique: WorkspaceEventInput[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  if (unique.length === 0) return { accepted: 0, duplicates: events.length };

  checkInstanceTeams(events);

  for (let attempt = 1; ; attempt++) {
    try {
      const accepted = await inTransaction(deps.db, async (sql) => writeBatch(sql, deps, unique, await resolveCostCenters(sql, deps, events)));
      return { accepted, duplicates: events.length - accepted };
    } catch (error) {
      if (error instanceof InstanceTeamConflict) throw error.toDomainError(events);
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
      deps.logger.warn({ attempt }, "ingest: transaction conflict, retrying the batch");
    }
  }
}

/** All events of one instance must name the same team (within the batch; the DB is checked later). */
function checkInstanceTeams(events: readonly WorkspaceEventInput[]): void {
  const teamOf = new Map<string, string>();
  const issues: EventIssue[] = [];
  events.forEach((event, index) => {
    const first = teamOf.get(event.instanceId);
    if (first === undefined) teamOf.set(event.instanceId, event.teamId);
    else if (first !== event.teamId) {
      issues.push({ index, field: "teamId", reason: `instance "${event.instanceId}" is reported for team "${first}" by another event of this batch` });
    }
  });
  if (issues.length > 0) throw unprocessable("Some events name a different team for the same instance; nothing was stored.", issues);
}

/**
 * team id → cost center id, opening the cost center of a team provisioned outside the API (seed,
 * admin) that has none yet. An unknown team rejects the batch naming each of its events.
 */
async function resolveCostCenters(sql: Sql, deps: IngestDeps, events: readonly WorkspaceEventInput[]): Promise<Map<string, string>> {
  const teamIds = [...new Set(events.map((e) => e.teamId))];
  const rows = await sql.query<{ teamId: string; costCenterId: string | null }>(
    `SELECT t."id" AS "teamId", cc."id" AS "costCenterId"
     FROM "Team" t LEFT JOIN "CostCenter" cc ON cc."teamId" = t."id"
     WHERE t."id" = ANY($1::text[])`,
    [teamIds],
  );
  const found = new Map(rows.map((r) => [r.teamId, r.costCenterId]));
  const issues: EventIssue[] = [];
  events.forEach((event, index) => {
    if (!found.has(event.teamId)) {
      issues.push({ index, field: "teamId", reason: `unknown team "${event.teamId}" (provision it with PUT /api/v1/teams/${event.teamId})` });
    }
  });
  if (issues.length > 0) throw unprocessable("Some events name unknown teams; nothing was stored.", issues);
  const resolved = new Map<string, string>();
  for (const [teamId, costCenterId] of found) {
    resolved.set(
      teamId,
      costCenterId ?? (await openCostCenterSql(sql, { teamId, now: deps.clock.now(), spendingLimitCents: deps.config.defaultSpendingLimitCents })),
    );
  }
  return resolved;
}

function unprocessable(message: string, details: EventIssue[]): DomainError {
  return new DomainError("UNPROCESSABLE", message, details);
}

// Parameters: one array per column of the batch, in the order of the `input` columns below.
const BATCH_STATEMENT = `
  WITH input AS (
    SELECT * FROM unnest(
      $1::text[], $2::text[], $3::text[],
      $4::text[], $5::text[], $6::text[],
      $7::text[], $8::text[], $9::text[],
      $10::timestamptz[], $11::text[]
    ) AS t("id", "type", "instanceId", "workspaceId", "teamId", "costCenterId", "userId", "userName", "workspaceClass", "occurredAt", "contextUrl")
  ),
  inserted AS (
    INSERT INTO "WorkspaceEvent" ("id", "type", "instanceId", "workspaceId", "teamId", "userId", "userName", "workspaceClass", "occurredAt", "contextUrl", "receivedAt")
    SELECT "id", "type"::"WorkspaceEventType", "instanceId", "workspaceId", "teamId", "userId", "userName", "workspaceClass", "occurredAt", "contextUrl", now()
    FROM input ORDER BY "id"
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"
  ),
  fresh AS (
    SELECT input.* , (input."type" = 'started') AS "isStart" FROM input JOIN inserted USING ("id")
  ),
  first AS (
    -- Attributes come from the instance's earliest start event when the batch has one (one sort,
    -- not one per attribute and instance).
    SELECT DISTINCT ON ("instanceId") "instanceId", "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass"
    FROM fresh ORDER BY "instanceId", "isStart" DESC, "occurredAt", "id"
  ),
  agg AS (
    SELECT f.*, t."startedAt", t."stoppingAt", t."stoppedAt", t."contextUrl"
    FROM first f JOIN (
      SELECT "instanceId",
        min("occurredAt") FILTER (WHERE "type" = 'started') AS "startedAt",
        min("occurredAt") FILTER (WHERE "type" = 'stopping') AS "stoppingAt",
        min("occurredAt") FILTER (WHERE "type" = 'stopped') AS "stoppedAt",
        (array_agg("contextUrl" ORDER BY "isStart" DESC, "occurredAt", "id") FILTER (WHERE "contextUrl" IS NOT NULL))[1] AS "contextUrl"
      FROM fresh GROUP BY "instanceId"
    ) t USING ("instanceId")
  ),
  upserted AS (
    INSERT INTO "WorkspaceInstance" AS w ("id", "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass", "contextUrl",
      "startedAt", "stoppingAt", "stoppedAt", "createdAt", "updatedAt")
    SELECT "instanceId", "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass", "contextUrl",
      "startedAt", "stoppingAt", "stoppedAt", now(), now()
    FROM agg ORDER BY "instanceId"
    ON CONFLICT ("id") DO UPDATE SET
      -- Once an instance has a start and a stop its ledger entry is final and never changes, so
      -- the fields its price depends on are frozen too: a late event (e.g. a "stopping" that
      -- arrives after "stopped") is kept as a raw event but cannot make the instance disagree
      -- with its entry. Before that, the earliest timestamp of each kind wins.
      "startedAt" = CASE WHEN w."startedAt" IS NOT NULL AND COALESCE(w."stoppingAt", w."stoppedAt") IS NOT NULL
        THEN w."startedAt" ELSE LEAST(w."startedAt", EXCLUDED."startedAt") END,
      "stoppingAt" = CASE WHEN w."startedAt" IS NOT NULL AND COALESCE(w."stoppingAt", w."stoppedAt") IS NOT NULL
        THEN w."stoppingAt" ELSE LEAST(w."stoppingAt", EXCLUDED."stoppingAt") END,
      "stoppedAt" = CASE WHEN w."startedAt" IS NOT NULL AND w."stoppingAt" IS NULL AND w."stoppedAt" IS NOT NULL
        THEN w."stoppedAt" ELSE LEAST(w."stoppedAt", EXCLUDED."stoppedAt") END,
      -- The earliest start event's attributes win, whichever order the events came in (until final).
      "workspaceId" = CASE WHEN EXCLUDED."startedAt" < w."startedAt" OR (w."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
        THEN EXCLUDED."workspaceId" ELSE w."workspaceId" END,
      "userId" = CASE WHEN EXCLUDED."startedAt" < w."startedAt" OR (w."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
        THEN EXCLUDED."userId" ELSE w."userId" END,
      "workspaceClass" = CASE
        WHEN w."startedAt" IS NOT NULL AND COALESCE(w."stoppingAt", w."stoppedAt") IS NOT NULL THEN w."workspaceClass"
        WHEN EXCLUDED."startedAt" < w."startedAt" OR (w."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
        THEN EXCLUDED."workspaceClass" ELSE w."workspaceClass" END,
      "contextUrl" = COALESCE(CASE WHEN EXCLUDED."startedAt" < w."startedAt" OR (w."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
        THEN EXCLUDED."contextUrl" END, w."contextUrl", EXCLUDED."contextUrl"),
      "updatedAt" = now()
    RETURNING w."id", w."teamId", w."costCenterId"
  ),
  users AS (
    INSERT INTO "User" ("id", "name", "createdAt", "updatedAt")
    SELECT DISTINCT ON ("userId") "userId", "userName", now(), now()
    FROM fresh f
    -- Skip users that exist and need nothing: an upsert would lock every one of their rows.
    WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u."id" = f."userId" AND (u."name" IS NOT NULL OR f."userName" IS NULL))
    ORDER BY "userId", "userName" IS NULL, "occurredAt", "id"
    ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "updatedAt" = now()
      WHERE "User"."name" IS NULL AND EXCLUDED."name" IS NOT NULL
    RETURNING 1
  )
  SELECT
    (SELECT count(*) FROM inserted)::int AS "accepted",
    (SELECT coalesce(array_agg(u."id" ORDER BY u."id"), '{}') FROM upserted u) AS "instanceIds",
    (SELECT coalesce(array_agg(DISTINCT u."costCenterId"), '{}') FROM upserted u) AS "costCenterIds",
    (SELECT coalesce(json_agg(json_build_object('instanceId', u."id", 'teamId', u."teamId")), '[]'::json)
       FROM upserted u JOIN agg a ON a."instanceId" = u."id" WHERE u."teamId" <> a."teamId") AS "conflicts",
    (SELECT count(*) FROM users)::int AS "users"`;

interface BatchRow {
  accepted: number;
  instanceIds: string[];
  costCenterIds: string[];
  conflicts: { instanceId: string; teamId: string }[];
}

async function writeBatch(sql: Sql, deps: IngestDeps, events: readonly WorkspaceEventInput[], costCenters: Map<string, string>): Promise<number> {
  const col = <T>(pick: (e: WorkspaceEventInput) => T): T[] => events.map(pick);
  const rows = await sql.query<BatchRow>(BATCH_STATEMENT, [
    col((e) => e.id),
    col((e) => e.type),
    col((e) => e.instanceId),
    col((e) => e.workspaceId),
    col((e) => e.teamId),
    col((e) => costCenters.get(e.teamId) ?? ""),
    col((e) => e.userId),
    col((e) => e.userName ?? null),
    col((e) => e.workspaceClass),
    // Validated ISO-8601 with an offset: PostgreSQL parses it as is (no Date objects per event).
    col((e) => e.occurredAt),
    col((e) => e.contextUrl ?? null),
  ]);
  const result = rows[0];
  if (!result) throw new Error("ingest: the batch statement returned no row");
  if (result.conflicts.length > 0) throw new InstanceTeamConflict(new Map(result.conflicts.map((c) => [c.instanceId, c.teamId])));
  if (result.instanceIds.length > 0) {
    await reconcileInstances(sql, result.instanceIds, { pricing: deps.pricing, clock: deps.clock, logger: deps.logger }, result.costCenterIds);
  }
  return result.accepted;
}

/** Thrown inside the transaction (rolling it back); re-thrown as 422 naming the batch's indexes. */
class InstanceTeamConflict extends Error {
  constructor(readonly ownerByInstance: Map<string, string>) {
    super("instance belongs to another team");
  }

  toDomainError(events: readonly WorkspaceEventInput[]): DomainError {
    const issues: EventIssue[] = [];
    events.forEach((event, index) => {
      const owner = this.ownerByInstance.get(event.instanceId);
      if (owner !== undefined) issues.push({ index, field: "teamId", reason: `instance "${event.instanceId}" belongs to team "${owner}"` });
    });
    return unprocessable("Some events name a different team than their instance's; nothing was stored.", issues);
  }
}

// PostgreSQL deadlock_detected / serialization_failure, wherever the driver adapter put the
// SQLSTATE (error.code, meta.driverAdapterError.cause.originalCode, …).
const RETRYABLE_SQLSTATES = new Set(["40P01", "40001"]);

export function isRetryableConflict(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const record = error as Record<string, unknown>;
  for (const key of ["code", "originalCode"]) {
    const value = record[key];
    if (typeof value === "string" && RETRYABLE_SQLSTATES.has(value)) return true;
  }
  return ["cause", "meta", "driverAdapterError"].some((key) => isRetryableConflict(record[key], depth + 1));
}
