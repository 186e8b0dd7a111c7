// POST /api/stripe/webhook (SPEC §3.6): raw body → verify the signature → store the event by id →
// enqueue the `stripe-event` job → 2xx, fast. Nothing is processed here.
//   400  bad or missing signature, or a timestamp outside the tolerance (nothing stored)
//   200  stored (or already stored: a redelivery), whether or not it could be enqueued — when Redis
//        is down the event waits in PostgreSQL and the `stripe-sync` job processes it
//   503  PostgreSQL unreachable: Stripe retries the delivery later
import Stripe from "stripe";
import { db as defaultDb, type Db } from "../db/client";
import { errorResponse, isDatabaseUnavailable } from "../http/errors";
import { logger as defaultLogger, type Logger } from "../lib/logger";
import { enqueueJob } from "../queue/producer";
import { storeStripeEvent } from "../services/billing/events";
import { stripeWebhookSecret } from "./client";
import { isHandledEventType } from "./handlers";

export interface StripeWebhookDeps {
  db: Db;
  secret: string;
  logger: Logger;
  /** Enqueues processing of a stored event; jobId = event id, so re-enqueues dedupe. */
  enqueue(eventId: string): Promise<void>;
  /** Seconds a signature timestamp may be old (Stripe's default: 300). */
  toleranceSeconds?: number;
}

const holder = globalThis as unknown as { stripeWebhookDeps?: StripeWebhookDeps };

function defaults(): StripeWebhookDeps {
  return {
    db: defaultDb(),
    secret: stripeWebhookSecret(),
    logger: defaultLogger,
    enqueue: (eventId) => enqueueJob("stripe-event", { eventId }, { jobId: eventId }),
  };
}

export function stripeWebhookDeps(): StripeWebhookDeps {
  holder.stripeWebhookDeps ??= defaults();
  return holder.stripeWebhookDeps;
}

/** Replaces the deps (tests, harness); `undefined` goes back to the defaults on next use. */
export function setStripeWebhookDeps(deps: StripeWebhookDeps | undefined): void {
  holder.stripeWebhookDeps = deps;
}

// Verification needs no API key: the static webhooks helper of the SDK.
const webhooks = Stripe.webhooks;

export async function handleStripeWebhook(request: Request, deps: StripeWebhookDeps = stripeWebhookDeps()): Promise<Response> {
  const signature = request.headers.get("stripe-signature");
  if (!signature) return errorResponse(400, "INVALID_SIGNATURE", "Missing Stripe-Signature header.");
  const body = await request.text();
  let event: Stripe.Event;
  try {
    event = webhooks.constructEvent(body, signature, deps.secret, deps.toleranceSeconds);
  } catch (error) {
    const message = error instanceof Error ? error.message : "Signature verification failed.";
    deps.logger.warn({ reason: message }, "stripe webhook rejected");
    return errorResponse(400, "INVALID_SIGNATURE", message);
  }

  const handled = isHandledEventType(event.type);
  let stored: boolean;
  let processed = false;
  try {
    // Types we do not handle are stored already processed: acknowledged, kept for audit, never queued.
    stored = await storeStripeEvent(deps.db, event, body, handled ? null : new Date());
    if (!stored && handled) {
      const row = await deps.db.stripeEvent.findUnique({ where: { id: event.id }, select: { processedAt: true } });
      processed = row?.processedAt != null;
    }
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      deps.logger.error({ eventId: event.id }, "stripe webhook: database unavailable");
      return errorResponse(503, "UNAVAILABLE", "The database is unavailable; retry later.", undefined, { "Retry-After": "5" });
    }
    deps.logger.error({ err: error, eventId: event.id }, "stripe webhook: could not store the event");
    return errorResponse(500, "INTERNAL", "Internal error; it has been logged.");
  }

  // A redelivery of an event that never got processed (its job was lost) is queued again.
  let queued = false;
  if (handled && !processed) {
    try {
      await deps.enqueue(event.id);
      queued = true;
    } catch (error) {
      deps.logger.warn({ eventId: event.id, err: error instanceof Error ? error.message : String(error) }, "stripe webhook: enqueue failed; the sync job will process the stored event");
    }
  }
  return Response.json(
    { received: true, duplicate: !stored, handled, queued },
    { status: 200, headers: { "Cache-Control": "no-store" } },
  );
}
