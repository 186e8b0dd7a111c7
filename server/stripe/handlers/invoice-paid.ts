import { syncInvoice } from "../../services/billing/invoices";
import type { StripeEventHandler } from "./types";

/** The re-fetched invoice is paid → the team's payment status is recomputed (PAST_DUE → ACTIVE). */
export const invoicePaid: StripeEventHandler = async (event, deps) => (await syncInvoice(deps, event.objectId)).outcome;
