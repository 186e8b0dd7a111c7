// Pricing of workspace runtime (SPEC §3.2): credits per hour by workspace class, effective-dated
// rate changes that split an instance's runtime, exact integer arithmetic in credit-cent
// milliseconds and ONE half-up rounding per instance. Pure: "now" is passed in.
import type { AppConfig } from "../config/config";
import { divRoundHalfUp } from "./money";

/** The key whose timeline prices classes the config does not list. */
export const DEFAULT_RATE_KEY = "default";

const MS_PER_HOUR = 3_600_000n;

/** One stretch of time during which a rate key has one rate; `from`/`until` null mean unbounded. */
export interface RatePeriod {
  key: string;
  centsPerHour: bigint;
  from: Date | null;
  until: Date | null;
}

export interface PricingTable {
  /** Base rates (before any rate change) of the classes the config names, "default" included. */
  centsPerHourByClass: ReadonlyMap<string, bigint>;
  defaultCentsPerHour: bigint;
  /** Sorted by effectiveAt. A change for "default" applies to every unlisted class. */
  rateChanges: readonly { workspaceClass: string; centsPerHour: bigint; effectiveAt: Date }[];
}

export function pricingFromConfig(config: Pick<AppConfig, "centsPerHourByClass" | "defaultCentsPerHour" | "rateChanges">): PricingTable {
  const byClass = new Map(config.centsPerHourByClass);
  if (!byClass.has(DEFAULT_RATE_KEY)) byClass.set(DEFAULT_RATE_KEY, config.defaultCentsPerHour);
  return {
    centsPerHourByClass: byClass,
    defaultCentsPerHour: config.defaultCentsPerHour,
    rateChanges: [...config.rateChanges].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime()),
  };
}

/** True when the class has its own rate (in the rate map or in a rate change). */
export function isKnownClass(pricing: PricingTable, workspaceClass: string): boolean {
  return pricing.centsPerHourByClass.has(workspaceClass) || pricing.rateChanges.some((c) => c.workspaceClass === workspaceClass);
}

/** The rate key whose timeline prices this class. */
export function rateKeyOf(pricing: PricingTable, workspaceClass: string): string {
  return isKnownClass(pricing, workspaceClass) ? workspaceClass : DEFAULT_RATE_KEY;
}

/** Every known class's rate timeline as contiguous periods covering all of time. */
export function ratePeriods(pricing: PricingTable): RatePeriod[] {
  const keys = new Set([...pricing.centsPerHourByClass.keys(), ...pricing.rateChanges.map((c) => c.workspaceClass)]);
  const periods: RatePeriod[] = [];
  for (const key of keys) {
    let rate = pricing.centsPerHourByClass.get(key) ?? pricing.defaultCentsPerHour;
    let from: Date | null = null;
    for (const change of pricing.rateChanges) {
      if (change.workspaceClass !== key) continue;
      if (from === null || change.effectiveAt.getTime() > from.getTime()) {
        periods.push({ key, centsPerHour: rate, from, until: change.effectiveAt });
        from = change.effectiveAt;
      }
      // Two changes at the same instant: the later one in the list wins.
      rate = change.centsPerHour;
    }
    periods.push({ key, centsPerHour: rate, from, until: null });
  }
  return periods;
}

export interface PricedInstance {
  /** Credit cents, rounded half-up once. */
  cents: bigint;
  /** The instance has stopped (and started): its entry must not change any more. */
  final: boolean;
  /** End of the priced runtime, or null while running (or not started). */
  runtimeEnd: Date | null;
  warnings: string[];
}

export interface InstanceTimes {
  workspaceClass: string;
  startedAt: Date | null;
  stoppingAt: Date | null;
  stoppedAt: Date | null;
}

/**
 * Prices one instance at `now`. Runtime is [startedAt, stoppingAt ?? stoppedAt ?? now). Without a
 * start the runtime cannot be known yet: zero and not final (the start event will finalize it).
 */
export function priceInstanceCents(instance: InstanceTimes, now: Date, pricing: PricingTable): PricedInstance {
  const warnings: string[] = [];
  const stop = instance.stoppingAt ?? instance.stoppedAt;
  if (instance.startedAt === null) {
    return { cents: 0n, final: false, runtimeEnd: null, warnings };
  }
  const start = instance.startedAt.getTime();
  const end = (stop ?? now).getTime();
  if (!isKnownClass(pricing, instance.workspaceClass)) {
    warnings.push(`unknown workspace class "${instance.workspaceClass}" priced at the default rate`);
  }
  if (stop !== null && end < start) {
    warnings.push(`stop (${stop.toISOString()}) before start (${instance.startedAt.toISOString()}) counts as zero`);
  }
  const key = rateKeyOf(pricing, instance.workspaceClass);
  let centMs = 0n;
  if (end > start) {
    for (const period of ratePeriods(pricing)) {
      if (period.key !== key) continue;
      const from = Math.max(start, period.from?.getTime() ?? start);
      const until = Math.min(end, period.until?.getTime() ?? end);
      if (until > from) centMs += period.centsPerHour * BigInt(until - from);
    }
  }
  return {
    cents: divRoundHalfUp(centMs, MS_PER_HOUR),
    final: stop !== null,
    runtimeEnd: stop ?? null,
    warnings,
  };
}
