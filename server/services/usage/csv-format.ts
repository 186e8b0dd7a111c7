// CSV text for usage exports (RFC 4180: CRLF line ends, quotes doubled). Text cells that a
// spreadsheet would run as a formula are prefixed with an apostrophe; numbers are left alone.
import { formatCredits } from "../../domain/money";
import type { UsageRow } from "./entries";

export type CsvCell = string | number | bigint | Date | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const USAGE_CSV_COLUMNS = [
  "entry_id",
  "workspace_id",
  "instance_id",
  "workspace_class",
  "user_id",
  "user_name",
  "user_email",
  "started_at_utc",
  "stopped_at_utc",
  "started_local",
  "duration_seconds",
  "credits",
  "credit_cents",
  "status",
] as const;

/** The table row's fields that a CSV line carries. */
export type CsvUsageRow = Pick<
  UsageRow,
  "id" | "workspaceId" | "instanceId" | "workspaceClass" | "userId" | "userName" | "userEmail" | "startedAt" | "stoppedAt" | "durationSeconds" | "creditCents" | "running"
>;

/** "2026-11-27 14:03:05" in the zone: what a finance person filters by in a spreadsheet. */
export function localTimestamp(at: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  return f.format(at);
}

export function usageCsvLine(r: CsvUsageRow, timeZone: string): string {
  return csvLine([
    r.id,
    r.workspaceId,
    r.instanceId,
    r.workspaceClass,
    r.userId,
    r.userName,
    r.userEmail,
    r.startedAt,
    r.stoppedAt,
    r.startedAt ? localTimestamp(r.startedAt, timeZone) : null,
    r.durationSeconds,
    // Plain decimal (no thousands separators) so spreadsheets read it as a number.
    formatCredits(r.creditCents).replaceAll(",", ""),
    r.creditCents,
    r.running ? "running" : "stopped",
  ]);
}
