import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonthsClamped, cycleContaining, elapsedCycles } from "./billing-cycle";

const d = (iso: string) => new Date(iso);

describe("addMonthsClamped", () => {
  it("clamps a 31st anchor to each month's last day and returns to the 31st", () => {
    const anchor = d("2025-01-31T10:15:30.123Z");
    expect([1, 2, 3, 4, 5].map((k) => addMonthsClamped(anchor, k).toISOString())).toEqual([
      "2025-02-28T10:15:30.123Z",
      "2025-03-31T10:15:30.123Z",
      "2025-04-30T10:15:30.123Z",
      "2025-05-31T10:15:30.123Z",
      "2025-06-30T10:15:30.123Z",
    ]);
  });
  it("handles 29th and 30th anchors and leap years", () => {
    expect(addMonthsClamped(d("2024-01-29T00:00:00Z"), 1).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(addMonthsClamped(d("2025-01-29T00:00:00Z"), 1).toISOString()).toBe("2025-02-28T00:00:00.000Z");
    expect(addMonthsClamped(d("2025-01-29T00:00:00Z"), 2).toISOString()).toBe("2025-03-29T00:00:00.000Z");
    expect(addMonthsClamped(d("2025-01-30T23:59:59.999Z"), 1).toISOString()).toBe("2025-02-28T23:59:59.999Z");
    expect(addMonthsClamped(d("2024-02-29T12:00:00Z"), 12).toISOString()).toBe("2025-02-28T12:00:00.000Z");
    expect(addMonthsClamped(d("2024-02-29T12:00:00Z"), 48).toISOString()).toBe("2028-02-29T12:00:00.000Z");
    expect(addMonthsClamped(d("2024-03-31T00:00:00Z"), -1).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(addMonthsClamped(d("2024-12-31T00:00:00Z"), 2).toISOString()).toBe("2025-02-28T00:00:00.000Z");
  });
  it("rejects fractional months", () => {
    expect(() => addMonthsClamped(d("2024-01-01T00:00:00Z"), 1.5)).toThrow(RangeError);
  });
});

describe("cycleContaining", () => {
  it("finds the cycle around an instant, boundaries inclusive at the start", () => {
    const anchor = d("2025-01-31T08:00:00Z");
    expect(cycleContaining(anchor, d("2025-02-28T08:00:00Z"))).toEqual({ start: d("2025-02-28T08:00:00Z"), end: d("2025-03-31T08:00:00Z") });
    expect(cycleContaining(anchor, d("2025-02-28T07:59:59.999Z"))).toEqual({ start: d("2025-01-31T08:00:00Z"), end: d("2025-02-28T08:00:00Z") });
    expect(cycleContaining(anchor, d("2025-04-30T09:00:00Z"))).toEqual({ start: d("2025-04-30T08:00:00Z"), end: d("2025-05-31T08:00:00Z") });
    expect(cycleContaining(anchor, d("2024-12-31T08:00:00Z"))).toEqual({ start: d("2024-12-31T08:00:00Z"), end: d("2025-01-31T08:00:00Z") });
  });

  it("property: cycles are contiguous and contain the instant, for any anchor", () => {
    const time = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(time, time, (a, t) => {
        const anchor = new Date(a);
        const at = new Date(t);
        const { start, end } = cycleContaining(anchor, at);
        expect(start.getTime()).toBeLessThanOrEqual(t);
        expect(end.getTime()).toBeGreaterThan(t);
        // The next cycle starts exactly where this one ends (no gap, no overlap).
        expect(cycleContaining(anchor, end).start).toEqual(end);
        expect(start.getUTCHours()).toBe(anchor.getUTCHours());
        expect(start.getUTCMilliseconds()).toBe(anchor.getUTCMilliseconds());
        expect(start.getUTCDate()).toBeLessThanOrEqual(anchor.getUTCDate());
      }),
      { numRuns: 2000 },
    );
  });
});

describe("elapsedCycles", () => {
  it("is empty while the cycle is open, and catches up any number of missed cycles", () => {
    const anchor = d("2025-01-31T00:00:00Z");
    expect(elapsedCycles(anchor, anchor, d("2025-02-28T00:00:00Z"), d("2025-02-27T23:59:59Z"))).toEqual([]);
    const missed = elapsedCycles(anchor, anchor, d("2025-02-28T00:00:00Z"), d("2025-05-01T00:00:00Z"));
    expect(missed.map((c) => [c.start.toISOString().slice(0, 10), c.end.toISOString().slice(0, 10)])).toEqual([
      ["2025-01-31", "2025-02-28"],
      ["2025-02-28", "2025-03-31"],
      ["2025-03-31", "2025-04-30"],
    ]);
  });
  it("continues a stored end that is not an anchor boundary up to the next boundary", () => {
    const anchor = d("2025-01-15T00:00:00Z");
    const cycles = elapsedCycles(anchor, d("2025-03-01T00:00:00Z"), d("2025-04-01T00:00:00Z"), d("2025-05-20T00:00:00Z"));
    expect(cycles).toEqual([
      { start: d("2025-03-01T00:00:00Z"), end: d("2025-04-01T00:00:00Z") },
      { start: d("2025-04-01T00:00:00Z"), end: d("2025-04-15T00:00:00Z") },
      { start: d("2025-04-15T00:00:00Z"), end: d("2025-05-15T00:00:00Z") },
    ]);
  });
});
