import { syncInvoice } from "../../services/billing/invoices";
import type { StripeEventHandler } from "./types";

/** One INVOICE ledger entry keyed `invoice:<id>`, and the cycle follows the subscription. */
export const invoiceFinalized: StripeEventHandler = async (event, deps) => (await syncInvoice(deps, event.objectId)).outcome;
