// End-of-cycle forecast (SPEC §3.5): extrapolates the current run rate to the end of the billing
// cycle and says when the spending limit would be reached. Pure: "now" and the recent usage are
// passed in. Amounts stay integer credit cents; only the date arithmetic uses milliseconds.
import { divRoundHalfUp } from "./money";

const MS_PER_DAY = 86_400_000n;

export interface ForecastInput {
  /** Credits used in the cycle so far (what the gauge shows). */
  usedCents: bigint;
  limitCents: bigint;
  cycleStart: Date;
  cycleEnd: Date;
  now: Date;
  /** Usage recorded in the trailing window [now - windowMs, now) — the "current run rate". */
  recentCents: bigint;
  windowMs: number;
}

export type LimitOutlook =
  /** Already at or over the limit: starts are denied now. */
  | { kind: "REACHED" }
  /** At the current rate the limit is reached before the cycle ends, at `at`. */
  | { kind: "WILL_REACH"; at: Date }
  /** The cycle ends before the limit is reached (or nothing is being used). */
  | { kind: "WITHIN_LIMIT" };

export interface Forecast {
  /** Run rate in credit cents per day, rounded half-up. */
  ratePerDayCents: bigint;
  /** Used so far plus the rate over the rest of the cycle. */
  endOfCycleCents: bigint;
  /** Whole days left in the cycle, counting a started day as one (0 once the cycle has ended). */
  daysLeft: number;
  outlook: LimitOutlook;
}

export function forecastCycle(input: ForecastInput): Forecast {
  const now = input.now.getTime();
  const end = input.cycleEnd.getTime();
  // The window never reaches before the cycle start: last cycle's pace says little about this one.
  const windowStart = Math.max(now - input.windowMs, input.cycleStart.getTime());
  const windowMs = BigInt(Math.max(now - windowStart, 0));
  const remainingMs = BigInt(Math.max(end - now, 0));
  const recent = input.recentCents > 0n ? input.recentCents : 0n;

  const ratePerDayCents = windowMs > 0n ? divRoundHalfUp(recent * MS_PER_DAY, windowMs) : 0n;
  const projected = windowMs > 0n ? divRoundHalfUp(recent * remainingMs, windowMs) : 0n;
  const endOfCycleCents = input.usedCents + projected;
  const daysLeft = Number((remainingMs + MS_PER_DAY - 1n) / MS_PER_DAY);

  let outlook: LimitOutlook;
  if (input.usedCents >= input.limitCents) {
    outlook = { kind: "REACHED" };
  } else if (recent === 0n || windowMs === 0n || endOfCycleCents < input.limitCents) {
    outlook = { kind: "WITHIN_LIMIT" };
  } else {
    // Milliseconds until used + rate × t = limit, rounded up so the date is never early.
    const missing = input.limitCents - input.usedCents;
    const msUntil = (missing * windowMs + recent - 1n) / recent;
    outlook = { kind: "WILL_REACH", at: new Date(now + Number(msUntil)) };
  }
  return { ratePerDayCents, endOfCycleCents, daysLeft, outlook };
}
