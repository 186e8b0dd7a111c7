// Monthly billing cycles anchored at the cost center's creation instant (SPEC §3.4). Cycle k is
// [anchor + k months, anchor + (k+1) months), each boundary computed from the ANCHOR (not from the
// previous boundary) with the day clamped to the month's last day, so a 31st anchor bills on the
// 30th in a 30-day month and on the 31st again afterwards. Boundaries are strictly increasing,
// hence cycles are contiguous: no gaps, no overlaps. All in UTC.

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

export function addMonthsClamped(anchor: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, monthIndex));
  const result = new Date(anchor.getTime());
  // setUTCFullYear with all three parts at once, so an intermediate day overflow never rolls the month.
  result.setUTCFullYear(year, monthIndex, day);
  return result;
}

/** Index k of the cycle containing `at` (negative before the anchor). */
export function cycleIndexAt(anchor: Date, at: Date): number {
  let k = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  // The month difference is right or one too high; step down/up until start_k <= at < start_k+1.
  while (addMonthsClamped(anchor, k).getTime() > at.getTime()) k -= 1;
  while (addMonthsClamped(anchor, k + 1).getTime() <= at.getTime()) k += 1;
  return k;
}

export function cycleContaining(anchor: Date, at: Date): { start: Date; end: Date } {
  const k = cycleIndexAt(anchor, at);
  return { start: addMonthsClamped(anchor, k), end: addMonthsClamped(anchor, k + 1) };
}

/**
 * The cycles that have ended by `now`, in order, starting with the stored current cycle
 * [currentStart, currentEnd): what a reset must close. Later cycles follow the anchor; a stored end
 * that is not an anchor boundary (e.g. after a Stripe period) is continued up to the next boundary,
 * so the sequence stays contiguous. Empty while the current cycle is still open.
 */
export function elapsedCycles(anchor: Date, currentStart: Date, currentEnd: Date, now: Date): { start: Date; end: Date }[] {
  const out: { start: Date; end: Date }[] = [];
  let start = currentStart;
  let end = currentEnd;
  while (end.getTime() <= now.getTime()) {
    out.push({ start, end });
    start = end;
    end = cycleContaining(anchor, start).end;
  }
  return out;
}
