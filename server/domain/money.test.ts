import { describe, expect, it } from "vitest";
import { centsToCredits, creditsToCents, divRoundHalfUp, formatCredits } from "./money";

describe("money", () => {
  it("parses credit amounts exactly", () => {
    expect(creditsToCents(12.5)).toBe(1250n);
    expect(creditsToCents("0.07")).toBe(7n);
    expect(creditsToCents("-3")).toBe(-300n);
    expect(() => creditsToCents("1.234")).toThrow(RangeError);
  });
  it("renders cents as credits", () => {
    expect(centsToCredits(123456n)).toBe(1234.56);
    expect(formatCredits(123456n)).toBe("1,234.56");
    expect(formatCredits(-5n)).toBe("-0.05");
  });
  it("rounds half up", () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divRoundHalfUp(-15n, 10n)).toBe(-2n);
  });
});
