// The Usage page's SQL, built in one place so the service and the benchmark (which runs the very
// same statements straight through `pg`) cannot drift apart. Every statement reads WORKSPACE
// entries of one cost center in [from, to) by "effectiveAt" (an instance's start), through the
// (costCenterId, effectiveAt DESC, id DESC) index.
import { Prisma } from "../../db/generated/client";
import type { UsageFilters } from "./scope";

export interface EntryWindow {
  costCenterId: string;
  from: Date;
  to: Date;
  filters: UsageFilters;
}

function where(w: EntryWindow, alias = "e"): Prisma.Sql {
  const e = Prisma.raw(alias);
  return Prisma.sql`${e}."costCenterId" = ${w.costCenterId} AND ${e}.kind = 'WORKSPACE'
    AND ${e}."effectiveAt" >= ${w.from}::timestamptz AND ${e}."effectiveAt" < ${w.to}::timestamptz
    ${w.filters.userId === undefined ? Prisma.empty : Prisma.sql`AND ${e}."userId" = ${w.filters.userId}`}
    ${w.filters.workspaceClass === undefined ? Prisma.empty : Prisma.sql`AND ${e}."workspaceClass" = ${w.filters.workspaceClass}`}`;
}

export interface TotalsRow {
  entries: bigint;
  storedCents: bigint;
}

/** Entry count and stored credits (drafts at their last reconciled value) of the window. */
export function totalsSql(w: EntryWindow): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::bigint AS entries, COALESCE(SUM(e."creditCents"), 0)::bigint AS "storedCents"
    FROM "UsageEntry" e WHERE ${where(w)}`;
}

export interface DraftRow {
  id: bigint;
  creditCents: bigint;
  userId: string | null;
  workspaceClass: string | null;
  effectiveAt: Date;
  instanceClass: string | null;
  startedAt: Date | null;
  stoppingAt: Date | null;
  stoppedAt: Date | null;
}

/** Draft entries of the window with their instance's times, to price them live (few rows). */
export function draftsSql(w: EntryWindow): Prisma.Sql {
  return Prisma.sql`SELECT e.id, e."creditCents", e."userId", e."workspaceClass", e."effectiveAt",
      i."workspaceClass" AS "instanceClass", i."startedAt", i."stoppingAt", i."stoppedAt"
    FROM "UsageEntry" e LEFT JOIN "WorkspaceInstance" i ON i.id = e."instanceId"
    WHERE e.draft AND ${where(w)}`;
}

export interface SeriesRow {
  day: string;
  workspaceClass: string | null;
  cents: bigint;
}

/** Stored credits per calendar day (in `timeZone`) and workspace class. */
export function seriesSql(w: EntryWindow, timeZone: string): Prisma.Sql {
  // Group on the date first and format the few groups afterwards: cheaper than formatting every row.
  return Prisma.sql`SELECT to_char(g.day, 'YYYY-MM-DD') AS day, g."workspaceClass", g.cents
    FROM (SELECT (e."effectiveAt" AT TIME ZONE ${timeZone})::date AS day, e."workspaceClass", SUM(e."creditCents")::bigint AS cents
          FROM "UsageEntry" e WHERE ${where(w)}
          GROUP BY 1, 2) g
    ORDER BY 1, 2`;
}

export interface ByMemberRow {
  userId: string | null;
  name: string | null;
  email: string | null;
  entries: bigint;
  cents: bigint;
}

export function byMemberSql(w: EntryWindow): Prisma.Sql {
  return Prisma.sql`SELECT g."userId", u.name, u.email, g.entries, g.cents
    FROM (SELECT e."userId", count(*)::bigint AS entries, SUM(e."creditCents")::bigint AS cents
          FROM "UsageEntry" e WHERE ${where(w)} GROUP BY e."userId") g
    LEFT JOIN "User" u ON u.id = g."userId"
    ORDER BY g.cents DESC, g."userId"`;
}

export interface ByClassRow {
  workspaceClass: string | null;
  entries: bigint;
  cents: bigint;
  seconds: bigint;
}

export function byClassSql(w: EntryWindow): Prisma.Sql {
  return Prisma.sql`SELECT e."workspaceClass", count(*)::bigint AS entries, SUM(e."creditCents")::bigint AS cents,
      COALESCE(SUM(EXTRACT(EPOCH FROM (e."stoppedAt" - e."startedAt")))::bigint, 0)::bigint AS seconds
    FROM "UsageEntry" e WHERE ${where(w)}
    GROUP BY e."workspaceClass" ORDER BY cents DESC, e."workspaceClass"`;
}

export interface EntryRow {
  id: bigint;
  instanceId: string | null;
  workspaceClass: string | null;
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
  startedAt: Date | null;
  stoppedAt: Date | null;
  effectiveAt: Date;
  draft: boolean;
  creditCents: bigint;
  workspaceId: string | null;
  contextUrl: string | null;
  instanceClass: string | null;
  instanceStartedAt: Date | null;
  instanceStoppingAt: Date | null;
  instanceStoppedAt: Date | null;
}

export interface EntryCursor {
  effectiveAt: Date;
  id: bigint;
}

/** One keyset page, newest first; `after` is the last row of the previous page. */
export function entriesPageSql(w: EntryWindow, after: EntryCursor | null, limit: number): Prisma.Sql {
  return Prisma.sql`SELECT e.id, e."instanceId", e."workspaceClass", e."userId", u.name AS "userName", u.email AS "userEmail",
      e."startedAt", e."stoppedAt", e."effectiveAt", e.draft, e."creditCents",
      i."workspaceId", i."contextUrl", i."workspaceClass" AS "instanceClass", i."startedAt" AS "instanceStartedAt",
      i."stoppingAt" AS "instanceStoppingAt", i."stoppedAt" AS "instanceStoppedAt"
    FROM (SELECT * FROM "UsageEntry" e WHERE ${where(w)}
          ${after ? Prisma.sql`AND (e."effectiveAt", e.id) < (${after.effectiveAt}::timestamptz, ${after.id.toString()}::bigint)` : Prisma.empty}
          ORDER BY e."effectiveAt" DESC, e.id DESC LIMIT ${limit}) e
    LEFT JOIN "WorkspaceInstance" i ON i.id = e."instanceId"
    LEFT JOIN "User" u ON u.id = e."userId"
    ORDER BY e."effectiveAt" DESC, e.id DESC`;
}
