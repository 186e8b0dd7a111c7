// The usage table: one keyset page at a time, newest first. Running instances carry their rate so
// the browser can tick them forward from `asOf` without asking again.
import { DomainError } from "../../domain/errors";
import { rateKeyOf, ratePeriods, type PricingTable } from "../../domain/pricing";
import type { Db } from "../../db/client";
import type { UsageDeps } from "./deps";
import { isRunning, liveCentsOf } from "./live";
import { entriesPageSql, type EntryCursor, type EntryRow, type EntryWindow } from "./queries";
import { windowFor, type UsageQuery } from "./series";
import type { Viewer } from "./scope";

export const MAX_PAGE_SIZE = 200;

export interface UsageRow {
  id: string;
  instanceId: string | null;
  workspaceId: string | null;
  contextUrl: string | null;
  workspaceClass: string | null;
  userId: string | null;
  userName: string | null;
  userEmail: string | null;
  startedAt: Date | null;
  stoppedAt: Date | null;
  /** Runtime in seconds at `asOf` (for running rows) or until the stop. */
  durationSeconds: number;
  creditCents: bigint;
  running: boolean;
  /** For running rows: credit cents per hour now, to tick the figure in the browser. */
  centsPerHour: bigint | null;
}

export function encodeCursor(c: EntryCursor): string {
  return Buffer.from(`${c.effectiveAt.toISOString()}|${c.id.toString()}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): EntryCursor {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const effectiveAt = new Date(at ?? "");
  if (!id || !/^\d{1,19}$/.test(id) || Number.isNaN(effectiveAt.getTime())) {
    throw new DomainError("INVALID_INPUT", "The page cursor is not valid; reload the table.", [{ field: "cursor", reason: "malformed" }]);
  }
  return { effectiveAt, id: BigInt(id) };
}

/** The rate a running instance accrues at `at`. */
export function currentRateCents(pricing: PricingTable, workspaceClass: string, at: Date): bigint {
  const key = rateKeyOf(pricing, workspaceClass);
  const t = at.getTime();
  const period = ratePeriods(pricing).find((p) => p.key === key && (p.from === null || p.from.getTime() <= t) && (p.until === null || p.until.getTime() > t));
  return period?.centsPerHour ?? pricing.defaultCentsPerHour;
}

export function toUsageRow(r: EntryRow, asOf: Date, pricing: PricingTable): UsageRow {
  const running = isRunning(r);
  const creditCents = r.draft
    ? liveCentsOf({ creditCents: r.creditCents, instanceClass: r.instanceClass, startedAt: r.instanceStartedAt, stoppingAt: r.instanceStoppingAt, stoppedAt: r.instanceStoppedAt }, asOf, pricing)
    : r.creditCents;
  const start = r.startedAt ?? r.instanceStartedAt;
  const stop = r.stoppedAt ?? r.instanceStoppingAt ?? r.instanceStoppedAt;
  const end = stop ?? (running ? asOf : null);
  const durationSeconds = start && end ? Math.max(0, Math.floor((end.getTime() - start.getTime()) / 1000)) : 0;
  return {
    id: r.id.toString(),
    instanceId: r.instanceId,
    workspaceId: r.workspaceId,
    contextUrl: r.contextUrl,
    workspaceClass: r.workspaceClass,
    userId: r.userId,
    userName: r.userName,
    userEmail: r.userEmail,
    startedAt: start,
    stoppedAt: stop,
    durationSeconds,
    creditCents,
    running,
    centsPerHour: running ? currentRateCents(pricing, r.instanceClass ?? r.workspaceClass ?? "", asOf) : null,
  };
}

/** One page of rows after `after`, and the cursor of the next page when there is one. */
export async function fetchEntriesPage(
  db: Db,
  w: EntryWindow,
  after: EntryCursor | null,
  limit: number,
  asOf: Date,
  pricing: PricingTable,
): Promise<{ rows: UsageRow[]; next: EntryCursor | null }> {
  const raw = await db.$queryRaw<EntryRow[]>(entriesPageSql(w, after, limit + 1));
  const page = raw.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page.map((r) => toUsageRow(r, asOf, pricing)), next: raw.length > limit && last ? { effectiveAt: last.effectiveAt, id: last.id } : null };
}

export async function usageEntries(
  deps: UsageDeps,
  q: UsageQuery & { cursor?: string; limit: number },
  viewer: Viewer,
): Promise<{ rows: UsageRow[]; nextCursor: string | null; asOf: Date; timeZone: string }> {
  const { scope, w, asOf } = await windowFor(deps, q, viewer);
  const limit = Math.min(Math.max(q.limit, 1), MAX_PAGE_SIZE);
  const page = await fetchEntriesPage(deps.db, w, q.cursor ? decodeCursor(q.cursor) : null, limit, asOf, deps.pricing);
  return { rows: page.rows, nextCursor: page.next ? encodeCursor(page.next) : null, asOf, timeZone: scope.timeZone };
}
