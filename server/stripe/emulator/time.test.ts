import { describe, expect, it } from "vitest";
import { addMonthsClamped, amountForQuantity } from "./time";

const unix = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

describe("addMonthsClamped", () => {
  it("keeps the anchor's day, clamping to short months without drifting", () => {
    const anchor = unix("2026-01-31T10:20:30Z");
    expect(iso(addMonthsClamped(anchor, 1))).toBe("2026-02-28T10:20:30.000Z");
    expect(iso(addMonthsClamped(anchor, 2))).toBe("2026-03-31T10:20:30.000Z");
    expect(iso(addMonthsClamped(anchor, 3))).toBe("2026-04-30T10:20:30.000Z");
    expect(iso(addMonthsClamped(anchor, 13))).toBe("2027-02-28T10:20:30.000Z");
    expect(iso(addMonthsClamped(unix("2027-12-15T00:00:00Z"), 1))).toBe("2028-01-15T00:00:00.000Z");
    expect(iso(addMonthsClamped(unix("2028-01-29T00:00:00Z"), 1))).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("amountForQuantity", () => {
  it("multiplies exactly and rounds half up to minor units", () => {
    expect(amountForQuantity(12_345, "0.1")).toBe(1_235);
    expect(amountForQuantity(12_344, "0.1")).toBe(1_234);
    expect(amountForQuantity(0, "0.1")).toBe(0);
    expect(amountForQuantity(3, "2.5")).toBe(8);
    expect(amountForQuantity(7, "100")).toBe(700);
    expect(amountForQuantity(1, "0.005")).toBe(0);
    expect(amountForQuantity(100, "0.005")).toBe(1);
  });
});
