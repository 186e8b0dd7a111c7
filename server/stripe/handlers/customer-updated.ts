import { applyCustomerUpdate } from "../../services/billing/customers";
import type { StripeEventHandler } from "./types";

export const customerUpdated: StripeEventHandler = async (event, deps) => (await applyCustomerUpdate(deps, event.objectId)).outcome;
