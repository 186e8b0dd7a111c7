// Credit amounts are integer credit cents (1 credit = 100 cents), carried as bigint so sums over
// millions of entries stay exact. The only conversions to and from decimal credits live here.

export type CreditCents = bigint;

/** Parses a credits amount with at most two decimals ("12.5", 12.5, "7") into credit cents. */
export function creditsToCents(credits: number | string): CreditCents {
  const text = typeof credits === "number" ? credits.toString() : credits.trim();
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`Not a credit amount with at most two decimals: ${text}`);
  const [, sign, whole = "0", frac = ""] = match;
  const cents = BigInt(whole) * 100n + BigInt(frac.padEnd(2, "0"));
  return sign ? -cents : cents;
}

/** Exact decimal credits for JSON responses: cents / 100 has at most two decimals. */
export function centsToCredits(cents: CreditCents): number {
  return Number(cents) / 100;
}

/** "1,234.56" style display with two decimals, computed from integers (no float rounding). */
export function formatCredits(cents: CreditCents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toLocaleString("en-US");
  const frac = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** Integer division rounding half away from zero (half-up for the non-negative amounts we price). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (2n * denominator);
  return negative ? -q : q;
}
