import { fulfilCheckout } from "../../services/billing/checkout";
import type { StripeEventHandler } from "./types";

/** The same fulfilment the success page runs; whichever comes second finds the work done. */
export const checkoutSessionCompleted: StripeEventHandler = async (event, deps) => (await fulfilCheckout(deps, event.objectId)).status;
