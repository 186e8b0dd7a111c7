import { applyDispute } from "../../services/billing/disputes";
import type { StripeEventHandler } from "./types";

/** BLOCKED, and one notification to the owners per dispute. */
export const chargeDisputeCreated: StripeEventHandler = async (event, deps) => (await applyDispute(deps, event.objectId)).outcome;
