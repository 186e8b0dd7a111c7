// Calendar helpers for subscription periods (UTC), following Stripe's monthly anchoring: each period
// ends on the anchor's day of month, clamped to the month's last day (Jan 31 → Feb 28 → Mar 31).

export function addMonthsClamped(anchorUnix: number, months: number): number {
  const anchor = new Date(anchorUnix * 1000);
  const year = anchor.getUTCFullYear();
  const monthIndex = anchor.getUTCMonth() + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return (
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
    ) / 1000
  );
}

/** Integer amount (minor units) of `quantity` units at a decimal unit price, rounded half-up. */
export function amountForQuantity(quantity: number, unitAmountDecimal: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(unitAmountDecimal);
  if (!match) throw new Error(`Unsupported unit_amount_decimal ${unitAmountDecimal}`);
  const fraction = match[2] ?? "";
  const numerator = BigInt((match[1] ?? "0") + fraction);
  const scale = 10n ** BigInt(fraction.length);
  const product = BigInt(quantity) * numerator;
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const rounded = (abs * 2n + scale) / (2n * scale);
  return Number(rounded * sign);
}
