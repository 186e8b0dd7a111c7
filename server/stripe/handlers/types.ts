// What a handler gets: the verified event's envelope. Handlers never trust the payload's object
// (events arrive late, twice, out of order); they re-fetch it by id and compare with what we have.
import type { BillingDeps } from "../../services/billing/deps";

export interface StripeEventEnvelope {
  id: string;
  type: string;
  /** When Stripe created the event. */
  created: Date;
  /** `data.object.id`: the subscription, invoice, session, dispute or customer to re-fetch. */
  objectId: string;
}

export type StripeEventHandler = (event: StripeEventEnvelope, deps: BillingDeps) => Promise<string>;
