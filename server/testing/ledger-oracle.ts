// An independent recomputation of what the ledger should hold, for tests only. Deliberately
// simple and separate from the production path (no imports from server/domain or
// server/services): it walks each instance's runtime second-boundary by second-boundary through
// rate changes, sums with plain bigint arithmetic, and reads the database with plain SQL.
import type pg from "pg";

export interface OracleRates {
  /** credit cents per hour by class; "default" prices every class not named here or in a change. */
  base: Record<string, bigint>;
  changes: { workspaceClass: string; centsPerHour: bigint; effectiveAt: Date }[];
}

export interface OracleInstance {
  id: string;
  costCenterId: string;
  workspaceClass: string;
  startedAt: Date | null;
  stoppingAt: Date | null;
  stoppedAt: Date | null;
}

export interface OracleEntry {
  cents: bigint;
  draft: boolean;
}

function rateAt(rates: OracleRates, cls: string, atMs: number): bigint {
  const named = cls in rates.base || rates.changes.some((c) => c.workspaceClass === cls);
  const key = named ? cls : "default";
  let rate = rates.base[key] ?? rates.base.default ?? 0n;
  let latest = -Infinity;
  for (const change of rates.changes) {
    const t = change.effectiveAt.getTime();
    if (change.workspaceClass === key && t <= atMs && t >= latest) {
      latest = t;
      rate = change.centsPerHour;
    }
  }
  return rate;
}

/** What one instance's WORKSPACE entry should hold at `now`. */
export function oracleEntry(instance: OracleInstance, now: Date, rates: OracleRates): OracleEntry {
  if (!instance.startedAt) return { cents: 0n, draft: true };
  const stop = instance.stoppingAt ?? instance.stoppedAt;
  const start = instance.startedAt.getTime();
  const end = (stop ?? now).getTime();
  let centMs = 0n;
  let t = start;
  while (t < end) {
    // The next instant the rate could change: the next change of any class, else the end.
    let next = end;
    for (const change of rates.changes) {
      const c = change.effectiveAt.getTime();
      if (c > t && c < next) next = c;
    }
    centMs += rateAt(rates, instance.workspaceClass, t) * BigInt(next - t);
    t = next;
  }
  // Half-up: add half an hour's worth of cent-milliseconds, then floor.
  const cents = (centMs + 1_800_000n) / 3_600_000n;
  return { cents, draft: stop === null };
}

export interface OracleMismatch {
  what: string;
  expected: string;
  actual: string;
}

/** Loads instances and entries with plain SQL and compares every entry and every balance. */
export async function compareLedgerWithOracle(pool: pg.Pool, now: Date, rates: OracleRates): Promise<OracleMismatch[]> {
  const instances = (
    await pool.query<OracleInstance>(
      `SELECT id, "costCenterId", "workspaceClass", "startedAt", "stoppingAt", "stoppedAt" FROM "WorkspaceInstance"`,
    )
  ).rows;
  const entries = (
    await pool.query<{ instanceId: string | null; costCenterId: string; kind: string; creditCents: string; draft: boolean }>(
      `SELECT "instanceId", "costCenterId", kind::text, "creditCents"::text AS "creditCents", draft FROM "UsageEntry"`,
    )
  ).rows;
  const centers = (await pool.query<{ id: string; balanceCents: string }>(`SELECT id, "balanceCents"::text AS "balanceCents" FROM "CostCenter"`)).rows;

  const mismatches: OracleMismatch[] = [];
  const byInstance = new Map(entries.filter((e) => e.kind === "WORKSPACE").map((e) => [e.instanceId, e]));
  const expectedBalance = new Map<string, bigint>(centers.map((c) => [c.id, 0n]));
  for (const instance of instances) {
    const want = oracleEntry(instance, now, rates);
    const got = byInstance.get(instance.id);
    expectedBalance.set(instance.costCenterId, (expectedBalance.get(instance.costCenterId) ?? 0n) + want.cents);
    if (!got) {
      mismatches.push({ what: `entry of ${instance.id}`, expected: `${want.cents} draft=${want.draft}`, actual: "missing" });
    } else if (BigInt(got.creditCents) !== want.cents || got.draft !== want.draft) {
      mismatches.push({ what: `entry of ${instance.id}`, expected: `${want.cents} draft=${want.draft}`, actual: `${got.creditCents} draft=${got.draft}` });
    }
  }
  // Resets, invoices and credit notes are inputs here, not outputs of reconciliation.
  for (const e of entries) {
    if (e.kind !== "WORKSPACE") expectedBalance.set(e.costCenterId, (expectedBalance.get(e.costCenterId) ?? 0n) + BigInt(e.creditCents));
  }
  const known = new Set(instances.map((i) => i.id));
  for (const e of entries) {
    if (e.kind === "WORKSPACE" && (e.instanceId === null || !known.has(e.instanceId))) {
      mismatches.push({ what: `entry of ${e.instanceId}`, expected: "no entry", actual: e.creditCents });
    }
  }
  for (const c of centers) {
    const want = expectedBalance.get(c.id) ?? 0n;
    if (BigInt(c.balanceCents) !== want) mismatches.push({ what: `balance of ${c.id}`, expected: want.toString(), actual: c.balanceCents });
  }
  return mismatches;
}

function monthsLater(anchor: Date, k: number): Date {
  const y = anchor.getUTCFullYear();
  const m = anchor.getUTCMonth() + k;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(y, m, Math.min(anchor.getUTCDate(), lastDay), anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()),
  );
}

/**
 * The CYCLE_RESET entries a FREE cost center anchored at `anchor` should have by `now`, given the
 * entries that are not resets: at the end of each cycle, everything effective before that end
 * (earlier resets included) is the balance; min(balance, limit) is forgiven when positive.
 */
export function oracleResets(
  anchor: Date,
  now: Date,
  limitCents: bigint,
  otherEntries: { effectiveAt: Date; cents: bigint }[],
): { cycleStart: Date; cents: bigint }[] {
  const resets: { cycleStart: Date; cents: bigint; effectiveAt: Date }[] = [];
  for (let k = 0; monthsLater(anchor, k + 1).getTime() <= now.getTime(); k++) {
    const end = monthsLater(anchor, k + 1);
    let balance = 0n;
    for (const e of otherEntries) if (e.effectiveAt.getTime() < end.getTime()) balance += e.cents;
    for (const r of resets) balance += r.cents;
    const forgive = balance <= 0n ? 0n : balance < limitCents ? balance : limitCents;
    if (forgive > 0n) resets.push({ cycleStart: monthsLater(anchor, k), cents: -forgive, effectiveAt: end });
  }
  return resets.map(({ cycleStart, cents }) => ({ cycleStart, cents }));
}
