// `stripe-event` (on webhook): process one stored Stripe event. A failure throws, so BullMQ retries
// it (catalog: 8 attempts, exponential backoff); after that the sync job keeps trying.
import { processStripeEvent } from "../../server/services/billing/events";
import { stripeClient } from "../../server/stripe/client";
import type { JobHandler } from "./types";

export const stripeEventJob: JobHandler<"stripe-event"> = async (deps, payload) => {
  const outcome = await processStripeEvent({ ...deps, stripe: deps.stripe ?? stripeClient() }, payload.eventId);
  return { counts: { processed: outcome.status === "processed" ? 1 : 0, skipped: outcome.status === "processed" ? 0 : 1 } };
};
