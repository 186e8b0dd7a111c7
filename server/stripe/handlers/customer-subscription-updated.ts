import { syncSubscription } from "../../services/billing/subscriptions";
import type { StripeEventHandler } from "./types";

/** Re-fetched and applied unless what we hold is newer (see syncSubscription). */
export const customerSubscriptionUpdated: StripeEventHandler = async (event, deps) => (await syncSubscription(deps, event.objectId, event.created)).outcome;
