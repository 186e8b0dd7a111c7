import { describe, expect, it } from "vitest";
import { MAX_SPENDING_LIMIT_CENTS, parseSpendingLimit } from "./spending-limit";

describe("parseSpendingLimit", () => {
  it.each([
    ["500", 50_000n],
    ["499.5", 49_950n],
    ["0.01", 1n],
    ["0", 0n],
    [" 1,250.75 ", 125_075n],
    [12.5, 1_250n],
    ["10000000", MAX_SPENDING_LIMIT_CENTS],
  ])("accepts %j as %s cents", (input, cents) => {
    expect(parseSpendingLimit(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ["", /Enter a limit/],
    ["-1", /cannot be negative/],
    ["1.234", /at most two decimals/],
    ["abc", /at most two decimals/],
    ["1e3", /at most two decimals/],
    ["10000000.01", /at most 10,000,000.00 credits/],
    [Number.NaN, /Enter a limit/],
    [Number.POSITIVE_INFINITY, /Enter a limit/],
  ])("rejects %j with a reason", (input, reason) => {
    const parsed = parseSpendingLimit(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
