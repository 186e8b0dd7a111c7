import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/config";
import { priceInstanceCents, pricingFromConfig, ratePeriods, type PricingTable } from "./pricing";

const d = (iso: string) => new Date(iso);
const H = 3_600_000;

function table(rates: Record<string, number>, rateChanges: { workspaceClass: string; creditsPerHour: number; effectiveAt: string }[] = []): PricingTable {
  return pricingFromConfig(
    parseConfig({
      schedules: {},
      creditsPerHourByWorkspaceClass: rates,
      rateChanges,
      defaultSpendingLimit: 500,
      stripe: { priceIds: { usd: "p_usd", eur: "p_eur" }, meterEventName: "credits" },
    }),
  );
}

const basic = table({ default: 10, "g1-small": 5, "g1-standard": 10, "g1-large": 20 });
const run = (cls: string, start: string | null, stop: string | null, stopping: string | null = null) => ({
  workspaceClass: cls,
  startedAt: start ? d(start) : null,
  stoppingAt: stopping ? d(stopping) : null,
  stoppedAt: stop ? d(stop) : null,
});
const now = d("2025-06-01T00:00:00Z");

describe("priceInstanceCents", () => {
  it("prices an hour at the class rate and is final once stopped", () => {
    expect(priceInstanceCents(run("g1-large", "2025-05-01T00:00:00Z", "2025-05-01T01:00:00Z"), now, basic)).toMatchObject({
      cents: 2000n,
      final: true,
      warnings: [],
    });
  });
  it("rounds half-up once per instance", () => {
    // 5 credits/h = 500 cents/h; 1 ms → 500/3.6e6 cents → 0; 3600 ms → 0.5 cents → 1.
    expect(priceInstanceCents(run("g1-small", "2025-05-01T00:00:00.000Z", "2025-05-01T00:00:03.599Z"), now, basic).cents).toBe(0n);
    expect(priceInstanceCents(run("g1-small", "2025-05-01T00:00:00.000Z", "2025-05-01T00:00:03.600Z"), now, basic).cents).toBe(1n);
    expect(priceInstanceCents(run("g1-small", "2025-05-01T00:00:00.000Z", "2025-05-01T00:00:10.800Z"), now, basic).cents).toBe(2n);
  });
  it("uses stoppingAt before stoppedAt, and now while running", () => {
    expect(priceInstanceCents(run("g1-standard", "2025-05-01T00:00:00Z", "2025-05-01T02:00:00Z", "2025-05-01T01:00:00Z"), now, basic).cents).toBe(1000n);
    const running = priceInstanceCents(run("g1-standard", "2025-05-31T23:30:00Z", null), now, basic);
    expect(running).toMatchObject({ cents: 500n, final: false, runtimeEnd: null });
  });
  it("counts zero and warns for a stop before the start, and for zero duration", () => {
    const backwards = priceInstanceCents(run("g1-small", "2025-05-01T01:00:00Z", "2025-05-01T00:00:00Z"), now, basic);
    expect(backwards.cents).toBe(0n);
    expect(backwards.final).toBe(true);
    expect(backwards.warnings).toHaveLength(1);
    expect(priceInstanceCents(run("g1-small", "2025-05-01T01:00:00Z", "2025-05-01T01:00:00Z"), now, basic)).toMatchObject({ cents: 0n, warnings: [] });
    // Running but "now" before the start (clock skew): zero, no warning.
    expect(priceInstanceCents(run("g1-small", "2025-06-02T00:00:00Z", null), now, basic).cents).toBe(0n);
  });
  it("keeps an instance without a start at zero and not final", () => {
    expect(priceInstanceCents(run("g1-small", null, "2025-05-01T00:00:00Z"), now, basic)).toMatchObject({ cents: 0n, final: false });
  });
  it("prices unknown classes at the default rate and says so", () => {
    const p = priceInstanceCents(run("x9-huge", "2025-05-01T00:00:00Z", "2025-05-01T03:00:00Z"), now, basic);
    expect(p.cents).toBe(3000n);
    expect(p.warnings[0]).toContain("x9-huge");
  });
  it("splits runtime at rate changes", () => {
    const changing = table({ default: 10, "g1-small": 5 }, [
      { workspaceClass: "g1-small", creditsPerHour: 6, effectiveAt: "2025-05-01T01:00:00Z" },
      { workspaceClass: "g1-small", creditsPerHour: 7.5, effectiveAt: "2025-05-01T02:00:00Z" },
      { workspaceClass: "default", creditsPerHour: 12, effectiveAt: "2025-05-01T00:30:00Z" },
    ]);
    // 1 h at 500, 1 h at 600, 30 min at 750.
    expect(priceInstanceCents(run("g1-small", "2025-05-01T00:00:00Z", "2025-05-01T02:30:00Z"), now, changing).cents).toBe(1475n);
    // Unknown classes follow the default timeline: 30 min at 1000, 1 h at 1200.
    expect(priceInstanceCents(run("zz", "2025-05-01T00:00:00Z", "2025-05-01T01:30:00Z"), now, changing).cents).toBe(1700n);
    // Entirely after the last change.
    expect(priceInstanceCents(run("g1-small", "2025-05-02T00:00:00Z", "2025-05-02T02:00:00Z"), now, changing).cents).toBe(1500n);
    // Rounding happens once over the sum of the segments: 10 s + 10 s at 1.08/h = 0.3 + 0.3 cents → 1, not 0 + 0.
    const tiny = table({ default: 10, a: 1.08 }, [{ workspaceClass: "a", creditsPerHour: 1.08, effectiveAt: "2025-05-01T00:00:00Z" }]);
    expect(priceInstanceCents(run("a", "2025-04-30T23:59:50Z", "2025-05-01T00:00:10Z"), now, tiny).cents).toBe(1n);
  });
  it("rate periods of a class are contiguous and cover all time", () => {
    const changing = table({ default: 10, "g1-small": 5 }, [
      { workspaceClass: "g1-small", creditsPerHour: 6, effectiveAt: "2025-05-01T01:00:00Z" },
      { workspaceClass: "new-class", creditsPerHour: 3, effectiveAt: "2025-05-01T01:00:00Z" },
    ]);
    const periods = ratePeriods(changing);
    expect(periods.filter((p) => p.key === "g1-small")).toEqual([
      { key: "g1-small", centsPerHour: 500n, from: null, until: d("2025-05-01T01:00:00Z") },
      { key: "g1-small", centsPerHour: 600n, from: d("2025-05-01T01:00:00Z"), until: null },
    ]);
    // A class known only from a change starts at the base default rate.
    expect(periods.filter((p) => p.key === "new-class").map((p) => p.centsPerHour)).toEqual([1000n, 300n]);
  });
  it("property: equals the exact half-up formula and never shrinks as runtime grows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 * H }), fc.integer({ min: 0, max: 1000 * H }), (a, b) => {
        const start = Date.UTC(2025, 0, 1);
        const whole = priceInstanceCents(run("g1-large", new Date(start).toISOString(), new Date(start + a + b).toISOString()), now, basic).cents;
        const first = priceInstanceCents(run("g1-large", new Date(start).toISOString(), new Date(start + a).toISOString()), now, basic).cents;
        const exact = (BigInt(a + b) * 2000n * 2n + BigInt(H)) / (2n * BigInt(H));
        expect(whole).toBe(exact);
        expect(whole).toBeGreaterThanOrEqual(first);
      }),
    );
  });
});
