// Running instances grow between reconciliations. Every Usage page figure prices draft entries at
// one instant `asOf` (the same pricing the spending check uses), so the gauge, the chart, the
// breakdowns, the table total and the CSV export all agree with each other to the credit cent.
import type { Db } from "../../db/client";
import { priceInstanceCents, type PricingTable } from "../../domain/pricing";
import { draftsSql, type DraftRow, type EntryWindow } from "./queries";

export interface LiveDraft extends DraftRow {
  /** Credits at `asOf`: priced from the instance while it runs, the stored value otherwise. */
  liveCents: bigint;
}

/** The draft's credits at `asOf`. Stopped (or unknown) instances keep their stored value. */
export function liveCentsOf(
  row: { creditCents: bigint; instanceClass: string | null; startedAt: Date | null; stoppingAt: Date | null; stoppedAt: Date | null },
  asOf: Date,
  pricing: PricingTable,
): bigint {
  if (row.instanceClass === null || row.startedAt === null || row.stoppedAt !== null) return row.creditCents;
  return priceInstanceCents({ workspaceClass: row.instanceClass, startedAt: row.startedAt, stoppingAt: row.stoppingAt, stoppedAt: null }, asOf, pricing).cents;
}

export async function liveDrafts(db: Db, w: EntryWindow, asOf: Date, pricing: PricingTable): Promise<LiveDraft[]> {
  const rows = await db.$queryRaw<DraftRow[]>(draftsSql(w));
  return rows.map((r) => ({ ...r, liveCents: liveCentsOf(r, asOf, pricing) }));
}

/** Live minus stored credits: what to add to a stored sum to get the figure at `asOf`. */
export function liveDelta(drafts: readonly LiveDraft[], pick: (d: LiveDraft) => boolean = () => true): bigint {
  let delta = 0n;
  for (const d of drafts) if (pick(d)) delta += d.liveCents - d.creditCents;
  return delta;
}

/** True while the instance behind a draft is still running (the UI marks it live). */
export function isRunning(row: { draft: boolean; instanceStartedAt: Date | null; instanceStoppingAt: Date | null; instanceStoppedAt: Date | null }): boolean {
  return row.draft && row.instanceStartedAt !== null && row.instanceStoppingAt === null && row.instanceStoppedAt === null;
}
