// Calendar days in a team's display time zone (SPEC §3.1: stored in UTC, shown in the team's zone).
// Pure: Intl supplies the zone rules, no I/O.

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (e.g. "Europe/Berlin"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function zonedParts(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour"), mi: get("minute"), s: get("second") };
}

/** Offset of the zone from UTC at `at`, in milliseconds (positive east of Greenwich). */
function offsetMs(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
  return asUtc - (at.getTime() - at.getUTCMilliseconds());
}

/** The calendar day ("YYYY-MM-DD") that `at` falls on in the zone. */
export function zonedDay(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.y.toString().padStart(4, "0")}-${p.m.toString().padStart(2, "0")}-${p.d.toString().padStart(2, "0")}`;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDay(day: string): boolean {
  const m = DAY_PATTERN.exec(day);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === day;
}

/** The instant the calendar day starts in the zone (midnight local, or the first instant after a gap). */
export function startOfZonedDay(day: string, timeZone: string): Date {
  const m = DAY_PATTERN.exec(day);
  if (!m || !isCalendarDay(day)) throw new RangeError(`Not a calendar day: ${day}`);
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes settle the offset even when the first guess lands on the other side of a DST change.
  let guess = utcMidnight - offsetMs(new Date(utcMidnight), timeZone);
  guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The next calendar day ("2026-02-28" → "2026-03-01"). */
export function nextDay(day: string): string {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new RangeError(`Not a calendar day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
}

/** Every calendar day in the zone that overlaps [from, to), in order. */
export function zonedDaysBetween(from: Date, to: Date, timeZone: string): string[] {
  const days: string[] = [];
  if (to.getTime() <= from.getTime()) return days;
  const last = zonedDay(new Date(to.getTime() - 1), timeZone);
  for (let day = zonedDay(from, timeZone); day <= last; day = nextDay(day)) days.push(day);
  return days;
}
