// What the billing use cases need; tests hand in a Stripe client pointed at the emulator, a test
// database and a clock that follows the emulator's clock.
import type Stripe from "stripe";
import type { AppConfig } from "../../config/config";
import type { Db, Tx } from "../../db/client";
import type { Clock } from "../../lib/clock";
import type { Logger } from "../../lib/logger";

export interface BillingDeps {
  db: Db;
  stripe: Stripe;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
}

export type Currency = "usd" | "eur";

/** Stripe timestamps are seconds since the epoch. */
export function fromUnix(seconds: number): Date {
  return new Date(seconds * 1000);
}

export function toUnix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The id of an expandable Stripe field (`string | { id }`). */
export function idOf(field: string | { id: string } | null | undefined): string | null {
  if (field === null || field === undefined) return null;
  return typeof field === "string" ? field : field.id;
}

export interface AuditEntry {
  action: string;
  teamId: string;
  costCenterId?: string;
  targetType: string;
  targetId: string;
  before?: object | null;
  after?: object | null;
  actorKind?: "STRIPE" | "USER" | "SYSTEM";
  actorId?: string | null;
}

/** Every billing-relevant change leaves an audit row (SPEC §7); Stripe-driven ones are actorKind STRIPE. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorKind: entry.actorKind ?? "STRIPE",
      actorId: entry.actorId ?? null,
      action: entry.action,
      teamId: entry.teamId,
      costCenterId: entry.costCenterId ?? null,
      targetType: entry.targetType,
      targetId: entry.targetId,
      ...(entry.before ? { before: entry.before } : {}),
      ...(entry.after ? { after: entry.after } : {}),
    },
  });
}
