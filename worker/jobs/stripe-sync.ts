// `stripe-sync` (every 15 min): usage reports and repair of what lost webhooks left stale.
import { syncStripe } from "../../server/services/billing/sync";
import { stripeClient } from "../../server/stripe/client";
import type { JobHandler } from "./types";

export const stripeSyncJob: JobHandler<"stripe-sync"> = async (deps) => {
  const counts = await syncStripe({ ...deps, stripe: deps.stripe ?? stripeClient() });
  return { counts };
};
