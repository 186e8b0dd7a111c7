// Credits per calendar day (in the team's time zone) stacked by workspace class, and the
// breakdowns by member and by class — all priced at one instant (see live.ts).
import { zonedDay, zonedDaysBetween } from "../../domain/time-zone";
import { asOfInstant, type UsageDeps } from "./deps";
import { liveDrafts, liveDelta } from "./live";
import { byClassSql, byMemberSql, seriesSql, totalsSql, type ByClassRow, type ByMemberRow, type EntryWindow, type SeriesRow, type TotalsRow } from "./queries";
import { effectiveFilters, loadUsageScope, resolveRange, type UsageFilters, type UsageRange, type Viewer } from "./scope";

export interface UsageQuery {
  teamId: string;
  range: UsageRange;
  filters: UsageFilters;
  asOf?: Date;
}

export const UNKNOWN_CLASS = "unknown";

async function windowFor(deps: UsageDeps, q: UsageQuery, viewer: Viewer) {
  const scope = await loadUsageScope(deps.db, q.teamId, viewer);
  const { from, to } = resolveRange(scope, q.range);
  const asOf = asOfInstant(deps.clock, q.asOf);
  const w: EntryWindow = { costCenterId: scope.costCenterId, from, to, filters: effectiveFilters(scope, q.filters) };
  return { scope, w, asOf };
}

export interface DailySeries {
  timeZone: string;
  from: Date;
  to: Date;
  /** Every class that appears, most credits first (the chart's stacking order). */
  classes: string[];
  days: { day: string; byClass: Record<string, bigint>; totalCents: bigint }[];
  totalCents: bigint;
}

export async function dailySeries(deps: UsageDeps, q: UsageQuery, viewer: Viewer): Promise<DailySeries> {
  const { scope, w, asOf } = await windowFor(deps, q, viewer);
  const [rows, drafts] = await Promise.all([deps.db.$queryRaw<SeriesRow[]>(seriesSql(w, scope.timeZone)), liveDrafts(deps.db, w, asOf, deps.pricing)]);
  const cells = new Map<string, Map<string, bigint>>();
  const add = (day: string, cls: string, cents: bigint) => {
    const byClass = cells.get(day) ?? new Map<string, bigint>();
    byClass.set(cls, (byClass.get(cls) ?? 0n) + cents);
    cells.set(day, byClass);
  };
  for (const r of rows) add(r.day, r.workspaceClass ?? UNKNOWN_CLASS, r.cents);
  for (const d of drafts) add(zonedDay(d.effectiveAt, scope.timeZone), d.workspaceClass ?? UNKNOWN_CLASS, d.liveCents - d.creditCents);

  const classTotals = new Map<string, bigint>();
  for (const byClass of cells.values()) for (const [cls, cents] of byClass) classTotals.set(cls, (classTotals.get(cls) ?? 0n) + cents);
  const classes = [...classTotals.entries()].sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] > b[1] ? -1 : 1)).map(([c]) => c);

  // Days up to now only: the rest of the cycle has no usage yet and would flatten the chart.
  const end = new Date(Math.min(w.to.getTime(), Math.max(asOf.getTime(), w.from.getTime() + 1)));
  const days = zonedDaysBetween(w.from, end, scope.timeZone).map((day) => {
    const byClass: Record<string, bigint> = {};
    let totalCents = 0n;
    for (const [cls, cents] of cells.get(day) ?? []) {
      byClass[cls] = cents;
      totalCents += cents;
    }
    return { day, byClass, totalCents };
  });
  let totalCents = 0n;
  for (const cents of classTotals.values()) totalCents += cents;
  return { timeZone: scope.timeZone, from: w.from, to: w.to, classes, days, totalCents };
}

export interface UsageBreakdown {
  byMember: { userId: string | null; name: string | null; email: string | null; entries: number; cents: bigint }[];
  byClass: { workspaceClass: string; entries: number; cents: bigint; stoppedSeconds: number }[];
  totalCents: bigint;
  entries: number;
}

export async function usageBreakdown(deps: UsageDeps, q: UsageQuery, viewer: Viewer): Promise<UsageBreakdown> {
  const { w, asOf } = await windowFor(deps, q, viewer);
  const [members, classes, drafts] = await Promise.all([
    deps.db.$queryRaw<ByMemberRow[]>(byMemberSql(w)),
    deps.db.$queryRaw<ByClassRow[]>(byClassSql(w)),
    liveDrafts(deps.db, w, asOf, deps.pricing),
  ]);
  const byMember = members
    .map((m) => ({ userId: m.userId, name: m.name, email: m.email, entries: Number(m.entries), cents: m.cents + liveDelta(drafts, (d) => d.userId === m.userId) }))
    .sort((a, b) => (a.cents === b.cents ? 0 : a.cents > b.cents ? -1 : 1));
  const byClass = classes
    .map((c) => ({
      workspaceClass: c.workspaceClass ?? UNKNOWN_CLASS,
      entries: Number(c.entries),
      cents: c.cents + liveDelta(drafts, (d) => d.workspaceClass === c.workspaceClass),
      stoppedSeconds: Number(c.seconds),
    }))
    .sort((a, b) => (a.cents === b.cents ? 0 : a.cents > b.cents ? -1 : 1));
  let totalCents = 0n;
  let entries = 0;
  for (const m of byMember) {
    totalCents += m.cents;
    entries += m.entries;
  }
  return { byMember, byClass, totalCents, entries };
}

export interface UsageTotals {
  entries: number;
  totalCents: bigint;
  from: Date;
  to: Date;
  asOf: Date;
}

/** What the table and the CSV export of the same range add up to. */
export async function usageTotals(deps: UsageDeps, q: UsageQuery, viewer: Viewer): Promise<UsageTotals> {
  const { w, asOf } = await windowFor(deps, q, viewer);
  const [rows, drafts] = await Promise.all([deps.db.$queryRaw<TotalsRow[]>(totalsSql(w)), liveDrafts(deps.db, w, asOf, deps.pricing)]);
  const row = rows[0];
  return { entries: Number(row?.entries ?? 0n), totalCents: (row?.storedCents ?? 0n) + liveDelta(drafts), from: w.from, to: w.to, asOf };
}

export { windowFor };
