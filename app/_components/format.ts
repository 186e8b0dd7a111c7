// Display helpers: dates in the team's time zone, durations, credits.
import { formatCredits } from "@/server/domain/money";

export { formatCredits };

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

export function formatDate(at: Date, timeZone: string): string {
  return fmt(timeZone, { month: "short", day: "numeric", year: "numeric" }).format(at);
}

export function formatDateTime(at: Date, timeZone: string): string {
  return fmt(timeZone, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

export function formatFullDateTime(at: Date, timeZone: string): string {
  return fmt(timeZone, { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" }).format(at);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m.toString().padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${(s % 60).toString().padStart(2, "0")}s`;
  return `${s % 60}s`;
}

/** "Nov 3" for a "YYYY-MM-DD" calendar day (already in the team's zone). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** Percent of b that a is, one decimal, from integers. */
export function percentOf(a: bigint, b: bigint): number {
  if (b <= 0n) return a > 0n ? 100 : 0;
  return Number((a * 1000n) / b) / 10;
}
