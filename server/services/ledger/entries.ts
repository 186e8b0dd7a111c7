// Cost centers and the non-workspace ledger entries (resets, invoices, credit notes). Every entry
// insert and its balance change happen in one statement, so balanceCents always equals the sum
// of the cost center's entries.
import type { CostCenter } from "../../db/generated/client";
import type { Db, DbOrTx, Tx } from "../../db/client";
import { prismaSql, type Sql } from "../../db/sql";
import { DomainError } from "../../domain/errors";
import { addMonthsClamped } from "../../domain/billing-cycle";
import { systemClock, type Clock } from "../../lib/clock";

/**
 * Creates the team's cost center: FREE, ACTIVE, the cycle anchored at `now`. Idempotent: a second
 * call (or a concurrent one) returns the existing cost center unchanged.
 */
export async function openCostCenter(
  tx: DbOrTx,
  args: { teamId: string; now: Date; spendingLimitCents: bigint },
): Promise<CostCenter> {
  await openCostCenterSql(prismaSql(tx), args);
  return tx.costCenter.findUniqueOrThrow({ where: { teamId: args.teamId } });
}

/** `openCostCenter` for plain-SQL transactions (ingest): returns the cost center's id. */
export async function openCostCenterSql(sql: Sql, args: { teamId: string; now: Date; spendingLimitCents: bigint }): Promise<string> {
  if (args.spendingLimitCents < 0n) throw new DomainError("INVALID_INPUT", "The spending limit cannot be negative.");
  const next = addMonthsClamped(args.now, 1);
  await sql.query(
    `INSERT INTO "CostCenter" ("teamId", "spendingLimitCents", "freeSpendingLimitCents", "billingStrategy", status,
                               "cycleAnchor", "billingCycleStart", "nextBillingTime", "createdAt", "updatedAt")
     VALUES ($1, $2::bigint, $2::bigint, 'FREE', 'ACTIVE', $3::timestamptz, $3::timestamptz, $4::timestamptz, $3::timestamptz, $3::timestamptz)
     ON CONFLICT ("teamId") DO NOTHING`,
    [args.teamId, args.spendingLimitCents.toString(), args.now, next],
  );
  const rows = await sql.query<{ id: string }>(`SELECT id FROM "CostCenter" WHERE "teamId" = $1`, [args.teamId]);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`cost center of team ${args.teamId} missing right after it was opened`);
  return id;
}

export interface LedgerEntryInput {
  costCenterId: string;
  kind: "CYCLE_RESET" | "INVOICE" | "CREDIT_NOTE";
  idempotencyKey: string;
  creditCents: bigint;
  effectiveAt: Date;
  description?: string;
  createdById?: string;
}

/**
 * Appends a non-workspace entry exactly once per idempotency key; the balance moves only when the
 * entry is actually inserted. A concurrent insert of the same key waits for the first and then
 * does nothing.
 */
export async function appendLedgerEntry(tx: Tx, entry: LedgerEntryInput): Promise<{ created: boolean; id: bigint | null }> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    WITH ins AS (
      INSERT INTO "UsageEntry" ("costCenterId", kind, "idempotencyKey", "creditCents", draft, "effectiveAt", description, "createdById")
      VALUES (${entry.costCenterId}, ${entry.kind}::"UsageEntryKind", ${entry.idempotencyKey}, ${entry.creditCents},
              false, ${entry.effectiveAt}::timestamptz, ${entry.description ?? null}, ${entry.createdById ?? null})
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id, "costCenterId", "creditCents"
    ),
    bal AS (
      UPDATE "CostCenter" c SET "balanceCents" = c."balanceCents" + ins."creditCents" FROM ins WHERE c.id = ins."costCenterId"
    )
    SELECT id FROM ins`;
  const id = rows[0]?.id ?? null;
  return { created: id !== null, id };
}

/**
 * An admin grants credits: a negative CREDIT_NOTE entry with the reason and the author, and an
 * audit record, in one transaction. Replaying the same idempotency key changes nothing.
 */
export async function grantCreditNote(
  db: Db,
  args: { costCenterId: string; creditCents: bigint; reason: string; authorId: string; idempotencyKey: string },
  clock: Clock = systemClock,
): Promise<{ created: boolean }> {
  const reason = args.reason.trim();
  const details: { field: string; reason: string }[] = [];
  if (args.creditCents <= 0n) details.push({ field: "creditCents", reason: "must be a positive amount" });
  if (args.creditCents > 100_000_000_00n) details.push({ field: "creditCents", reason: "must be at most 100,000,000 credits" });
  if (!reason) details.push({ field: "reason", reason: "is required" });
  if (reason.length > 1000) details.push({ field: "reason", reason: "must be at most 1000 characters" });
  if (details.length) throw new DomainError("INVALID_INPUT", "The credit note is invalid.", details);
  return db.$transaction(async (tx) => {
    const costCenter = await tx.costCenter.findUnique({ where: { id: args.costCenterId }, select: { id: true, teamId: true } });
    if (!costCenter) throw new DomainError("NOT_FOUND", "No such cost center.");
    const { created, id } = await appendLedgerEntry(tx, {
      costCenterId: costCenter.id,
      kind: "CREDIT_NOTE",
      idempotencyKey: args.idempotencyKey,
      creditCents: -args.creditCents,
      effectiveAt: clock.now(),
      description: reason,
      createdById: args.authorId,
    });
    if (created && id !== null) {
      await tx.auditLog.create({
        data: {
          actorKind: "USER",
          actorId: args.authorId,
          action: "credit_note.granted",
          teamId: costCenter.teamId,
          costCenterId: costCenter.id,
          targetType: "UsageEntry",
          targetId: id.toString(),
          after: { creditCents: (-args.creditCents).toString(), reason },
        },
      });
    }
    return { created };
  });
}
