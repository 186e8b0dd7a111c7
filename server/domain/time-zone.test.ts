import { describe, expect, it } from "vitest";
import { isCalendarDay, isValidTimeZone, nextDay, startOfZonedDay, zonedDay, zonedDaysBetween } from "./time-zone";

describe("time zones", () => {
  it("finds the local day of an instant", () => {
    expect(zonedDay(new Date("2026-11-27T23:30:00Z"), "UTC")).toBe("2026-11-27");
    expect(zonedDay(new Date("2026-11-27T23:30:00Z"), "Europe/Berlin")).toBe("2026-11-28");
    expect(zonedDay(new Date("2026-11-27T03:30:00Z"), "America/Los_Angeles")).toBe("2026-11-26");
  });

  it("starts a local day at local midnight, across DST changes", () => {
    expect(startOfZonedDay("2026-11-28", "UTC").toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(startOfZonedDay("2026-11-28", "Europe/Berlin").toISOString()).toBe("2026-11-27T23:00:00.000Z");
    expect(startOfZonedDay("2026-07-01", "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    // The days of the spring-forward and fall-back changes in Berlin (2026-03-29, 2026-10-25).
    expect(startOfZonedDay("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfZonedDay("2026-10-25", "Europe/Berlin").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfZonedDay("2026-11-28", "Asia/Kolkata").toISOString()).toBe("2026-11-27T18:30:00.000Z");
  });

  it("lists the local days a range touches", () => {
    expect(zonedDaysBetween(new Date("2026-11-27T22:00:00Z"), new Date("2026-11-29T00:00:00Z"), "UTC")).toEqual(["2026-11-27", "2026-11-28"]);
    expect(zonedDaysBetween(new Date("2026-11-27T22:00:00Z"), new Date("2026-11-29T00:00:00Z"), "Europe/Berlin")).toEqual([
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
    ]);
    expect(zonedDaysBetween(new Date("2026-11-27T00:00:00Z"), new Date("2026-11-27T00:00:00Z"), "UTC")).toEqual([]);
  });

  it("validates days and zones", () => {
    expect(isCalendarDay("2026-02-29")).toBe(false);
    expect(isCalendarDay("2028-02-29")).toBe(true);
    expect(isCalendarDay("2026-1-01")).toBe(false);
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
