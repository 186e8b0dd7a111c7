// Stored Stripe events (SPEC §3.6): the webhook stores each verified event by id before any effect;
// the `stripe-event` job (or, when Redis was down, the sync job) processes it. Processing is
// idempotent, so a duplicate job or a concurrent sync is harmless.
import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "../../db/client";
import { dispatchStripeEvent, type StripeEventEnvelope } from "../../stripe/handlers";
import type { BillingDeps } from "./deps";
import { fromUnix } from "./deps";

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.object({ id: z.string().min(1) }) }),
});

/**
 * Stores a verified event; false when its id was stored before (a redelivery). `processedAt` is set
 * right away for types no handler cares about.
 */
export async function storeStripeEvent(db: Db, event: Stripe.Event, rawBody: string, processedAt: Date | null): Promise<boolean> {
  // The verified raw body is the payload: exactly what Stripe sent, for audits and replays.
  const inserted = await db.$executeRaw`
    INSERT INTO "StripeEvent" (id, type, payload, "stripeCreated", "processedAt")
    VALUES (${event.id}, ${event.type}, ${rawBody}::jsonb, ${fromUnix(event.created)}, ${processedAt})
    ON CONFLICT (id) DO NOTHING`;
  return inserted === 1;
}

export function envelopeOf(payload: unknown): StripeEventEnvelope {
  const e = envelopeSchema.parse(payload);
  return { id: e.id, type: e.type, created: fromUnix(e.created), objectId: e.data.object.id };
}

export type ProcessOutcome = { status: "processed"; eventType: string; result: string } | { status: "already_processed" | "missing" };

export async function processStripeEvent(deps: BillingDeps, eventId: string): Promise<ProcessOutcome> {
  const row = await deps.db.stripeEvent.findUnique({ where: { id: eventId } });
  if (!row) return { status: "missing" };
  if (row.processedAt) return { status: "already_processed" };
  await deps.db.stripeEvent.update({ where: { id: eventId }, data: { attempts: { increment: 1 } } });
  try {
    const event = envelopeOf(row.payload);
    const result = await dispatchStripeEvent(event, deps);
    await deps.db.stripeEvent.update({ where: { id: eventId }, data: { processedAt: deps.clock.now(), lastError: null } });
    deps.logger.info({ eventId, type: event.type, result }, "stripe event processed");
    return { status: "processed", eventType: event.type, result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.stripeEvent.update({ where: { id: eventId }, data: { lastError: message.slice(0, 2000) } });
    throw error;
  }
}

/**
 * Events stored but never processed — their job was lost (Redis down when the webhook arrived) or
 * exhausted its retries. Oldest first; `olderThan` leaves fresh ones to their queued job.
 */
export async function processUnprocessedEvents(deps: BillingDeps, olderThan: Date, limit = 500): Promise<{ processed: number; failed: number }> {
  const rows = await deps.db.stripeEvent.findMany({
    where: { processedAt: null, receivedAt: { lt: olderThan } },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
    take: limit,
  });
  const counts = { processed: 0, failed: 0 };
  for (const { id } of rows) {
    try {
      await processStripeEvent(deps, id);
      counts.processed += 1;
    } catch (error) {
      counts.failed += 1;
      deps.logger.warn({ eventId: id, err: error instanceof Error ? error.message : String(error) }, "stored stripe event still failing");
    }
  }
  return counts;
}
