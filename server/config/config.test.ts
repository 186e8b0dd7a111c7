import { describe, expect, it } from "vitest";
import example from "../../usage.config.example.json";
import { ConfigError, parseConfig } from "./config";

describe("config file", () => {
  it("accepts the example and converts amounts to credit cents", () => {
    const config = parseConfig(example);
    expect(config.centsPerHourByClass.get("g1-large")).toBe(2000n);
    expect(config.defaultCentsPerHour).toBe(1000n);
    expect(config.defaultSpendingLimitCents).toBe(50000n);
    expect(config.raw.schedules.ledger.cron).toBe("*/5 * * * *");
  });

  it("names an unknown key, wherever it is", () => {
    expect(() => parseConfig({ ...example, defaultSpendingLimt: 5 })).toThrow(/unknown key\(s\) "defaultSpendingLimt" at \(root\)/);
    expect(() => parseConfig({ ...example, ledger: { batchSize: 10, overlap: 3 } })).toThrow(/unknown key\(s\) "overlap" at ledger/);
    expect(() => parseConfig({ ...example, defaultSpendingLimt: 5 })).toThrow(ConfigError);
  });

  it("rejects amounts with more than two decimals and rates without a default", () => {
    expect(() => parseConfig({ ...example, defaultSpendingLimit: 1.005 })).toThrow(/defaultSpendingLimit: at most two decimals/);
    expect(() => parseConfig({ ...example, creditsPerHourByWorkspaceClass: { "g1-small": 5 } })).toThrow(/must contain a "default" rate/);
  });

  it("sorts rate changes by effective time", () => {
    const config = parseConfig({
      ...example,
      rateChanges: [
        { workspaceClass: "g1-small", creditsPerHour: 6, effectiveAt: "2026-12-01T00:00:00Z" },
        { workspaceClass: "g1-small", creditsPerHour: 5.5, effectiveAt: "2026-11-01T00:00:00Z" },
      ],
    });
    expect(config.rateChanges.map((c) => [c.centsPerHour, c.effectiveAt.toISOString()])).toEqual([
      [550n, "2026-11-01T00:00:00.000Z"],
      [600n, "2026-12-01T00:00:00.000Z"],
    ]);
  });
});
