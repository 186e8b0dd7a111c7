// What an owner may type as a spending limit (SPEC §3.5): credits with at most two decimals,
// from 0 up to a sane maximum. A limit below current usage is allowed (it takes effect at once).
import { creditsToCents, formatCredits } from "./money";

/** 10,000,000 credits: far above any real team, low enough to catch a misplaced digit or paste. */
export const MAX_SPENDING_LIMIT_CENTS = 1_000_000_000n;

export type SpendingLimitParse = { ok: true; cents: bigint } | { ok: false; reason: string };

export function parseSpendingLimit(value: string | number): SpendingLimitParse {
  const text = (typeof value === "number" ? (Number.isFinite(value) ? value.toString() : "") : value).trim().replaceAll(",", "");
  if (text === "") return { ok: false, reason: "Enter a limit in credits, e.g. 500 or 499.50." };
  if (text.startsWith("-")) return { ok: false, reason: "The limit cannot be negative. Use 0 to stop all new workspaces." };
  let cents: bigint;
  try {
    cents = creditsToCents(text);
  } catch {
    return { ok: false, reason: "Use a number of credits with at most two decimals, e.g. 500 or 499.50." };
  }
  if (cents > MAX_SPENDING_LIMIT_CENTS) {
    return { ok: false, reason: `The limit can be at most ${formatCredits(MAX_SPENDING_LIMIT_CENTS)} credits.` };
  }
  return { ok: true, cents };
}
