// CSV export of any range, streamed: keyset batches straight from PostgreSQL into the response,
// so memory stays flat however many rows the range holds. Rows are priced at the same `asOf` as
// the page, so their credits add up to the page's total for that range.
import type { UsageDeps } from "./deps";
import { fetchEntriesPage } from "./entries";
import { csvLine, usageCsvLine, USAGE_CSV_COLUMNS } from "./csv-format";
import { windowFor, type UsageQuery } from "./series";
import { z } from "zod";
import { DomainError } from "../../domain/errors";
import { usageFiltersSchema, usageRangeSchema, type Viewer } from "./scope";
import type { EntryCursor } from "./queries";

export const CSV_BATCH_SIZE = 2000;

export interface UsageCsvExport {
  filename: string;
  asOf: Date;
  lines: AsyncGenerator<string, void, undefined>;
}

/** Resolves access and the range first (so errors become a proper status), then streams lines. */
export async function exportUsageCsv(deps: UsageDeps, q: UsageQuery, viewer: Viewer): Promise<UsageCsvExport> {
  const { scope, w, asOf } = await windowFor(deps, q, viewer);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const who = scope.selfUserId ? `-${scope.selfUserId}` : "";
  const filename = `usage-${scope.teamId}${who}-${day(w.from)}-to-${day(new Date(w.to.getTime() - 1))}.csv`.replace(/[^A-Za-z0-9._-]/g, "_");
  async function* lines(): AsyncGenerator<string, void, undefined> {
    yield csvLine([...USAGE_CSV_COLUMNS]);
    let after: EntryCursor | null = null;
    do {
      const page: Awaited<ReturnType<typeof fetchEntriesPage>> = await fetchEntriesPage(deps.db, w, after, CSV_BATCH_SIZE, asOf, deps.pricing);
      let chunk = "";
      for (const row of page.rows) chunk += usageCsvLine(row, scope.timeZone);
      if (chunk) yield chunk;
      after = page.next;
    } while (after);
  }
  return { filename, asOf, lines: lines() };
}

/**
 * The export's query string: `range=cycle&offset=1`, or `range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`
 * (days in the team's zone, `to` included), plus optional `userId`, `workspaceClass` and `asOf`.
 */
export function parseUsageCsvParams(params: URLSearchParams): Omit<UsageQuery, "teamId"> {
  const get = (k: string) => params.get(k) ?? undefined;
  const range =
    get("range") === "custom" ? { kind: "custom" as const, fromDay: get("from"), toDay: get("to") } : { kind: "cycle" as const, offset: Number(get("offset") ?? "0") };
  const asOfText = get("asOf");
  const parsed = csvParamsSchema.safeParse({
    range,
    filters: { userId: get("userId"), workspaceClass: get("workspaceClass") },
    asOf: asOfText === undefined ? undefined : new Date(asOfText),
  });
  if (!parsed.success) {
    throw new DomainError(
      "INVALID_INPUT",
      "The export range or filters are not valid.",
      parsed.error.issues.map((i) => ({ field: i.path.join("."), reason: i.message })),
    );
  }
  return parsed.data;
}

const csvParamsSchema = z.object({ range: usageRangeSchema, filters: usageFiltersSchema, asOf: z.date().optional() });
