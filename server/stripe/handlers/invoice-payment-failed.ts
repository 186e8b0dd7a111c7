import { syncInvoice } from "../../services/billing/invoices";
import type { StripeEventHandler } from "./types";

/**
 * The re-fetched invoice decides: still open after an attempt → PAST_DUE; already paid (this event
 * arrived after invoice.paid) → stays ACTIVE.
 */
export const invoicePaymentFailed: StripeEventHandler = async (event, deps) => (await syncInvoice(deps, event.objectId)).outcome;
