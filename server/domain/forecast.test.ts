import { describe, expect, it } from "vitest";
import { forecastCycle } from "./forecast";

const DAY = 86_400_000;
const cycleStart = new Date("2026-11-01T00:00:00Z");
const cycleEnd = new Date("2026-12-01T00:00:00Z");

describe("forecastCycle", () => {
  it("extrapolates the trailing week's rate to the end of the cycle", () => {
    // 10 days in, 20 days left; 70 credits in the last 7 days = 10 credits a day.
    const f = forecastCycle({
      usedCents: 12_000n,
      limitCents: 100_000n,
      cycleStart,
      cycleEnd,
      now: new Date("2026-11-11T00:00:00Z"),
      recentCents: 7_000n,
      windowMs: 7 * DAY,
    });
    expect(f.ratePerDayCents).toBe(1_000n);
    expect(f.endOfCycleCents).toBe(12_000n + 20n * 1_000n);
    expect(f.daysLeft).toBe(20);
    expect(f.outlook).toEqual({ kind: "WITHIN_LIMIT" });
  });

  it("dates the moment the limit is reached when the rate gets there before the cycle ends", () => {
    const now = new Date("2026-11-11T00:00:00Z");
    const f = forecastCycle({ usedCents: 40_000n, limitCents: 50_000n, cycleStart, cycleEnd, now, recentCents: 7_000n, windowMs: 7 * DAY });
    // 100 credits missing at 10 a day: 10 days.
    expect(f.outlook).toEqual({ kind: "WILL_REACH", at: new Date(now.getTime() + 10 * DAY) });
    expect(f.endOfCycleCents).toBe(60_000n);
  });

  it("says the limit is reached once usage is at or over it, whatever the rate", () => {
    const f = forecastCycle({
      usedCents: 50_000n,
      limitCents: 50_000n,
      cycleStart,
      cycleEnd,
      now: new Date("2026-11-11T00:00:00Z"),
      recentCents: 0n,
      windowMs: 7 * DAY,
    });
    expect(f.outlook).toEqual({ kind: "REACHED" });
    expect(f.ratePerDayCents).toBe(0n);
  });

  it("uses only the part of the window inside the cycle early in a cycle", () => {
    // One day in, 30 credits so far: 30 a day, not 30 spread over a week.
    const f = forecastCycle({
      usedCents: 3_000n,
      limitCents: 1_000_000n,
      cycleStart,
      cycleEnd,
      now: new Date("2026-11-02T00:00:00Z"),
      recentCents: 3_000n,
      windowMs: 7 * DAY,
    });
    expect(f.ratePerDayCents).toBe(3_000n);
    expect(f.endOfCycleCents).toBe(3_000n + 29n * 3_000n);
  });

  it("does not project anything at the very start of a cycle or after its end", () => {
    const atStart = forecastCycle({ usedCents: 0n, limitCents: 100n, cycleStart, cycleEnd, now: cycleStart, recentCents: 0n, windowMs: 7 * DAY });
    expect(atStart).toEqual({ ratePerDayCents: 0n, endOfCycleCents: 0n, daysLeft: 30, outlook: { kind: "WITHIN_LIMIT" } });
    const after = forecastCycle({ usedCents: 10n, limitCents: 100n, cycleStart, cycleEnd, now: new Date(cycleEnd.getTime() + DAY), recentCents: 10n, windowMs: 7 * DAY });
    expect(after.daysLeft).toBe(0);
    expect(after.endOfCycleCents).toBe(10n);
  });

  it("counts a started day as a day left and never dates the limit early", () => {
    const now = new Date(cycleEnd.getTime() - DAY - 1);
    const f = forecastCycle({ usedCents: 0n, limitCents: 1n, cycleStart, cycleEnd, now, recentCents: 70n, windowMs: 7 * DAY });
    expect(f.daysLeft).toBe(2);
    expect(f.outlook.kind).toBe("WILL_REACH");
    if (f.outlook.kind === "WILL_REACH") {
      // 1 cent at 70 cents per 7 days: a tenth of a day, rounded up to the millisecond.
      expect(f.outlook.at.getTime()).toBe(now.getTime() + Math.ceil((7 * DAY) / 70));
    }
  });
});
