// The emulator's in-memory Stripe account: objects, the (movable) clock, billing at period end and
// the events every change emits. Transport-free: the HTTP layer calls these operations.
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import type { EmulatorBootstrap } from "./bootstrap";
import { ApiError, invalidParam, noSuchResource } from "./errors";
import {
  buildCharge,
  buildCheckoutSession,
  buildCustomer,
  buildDispute,
  buildEvent,
  buildInvoice,
  buildInvoiceLine,
  buildMeter,
  buildMeteredPrice,
  buildMeterEvent,
  buildMeterEventSummary,
  buildPortalSession,
  buildProduct,
  buildSubscription,
  buildSubscriptionItem,
  type EmittedEventType,
  type EventObject,
} from "./objects";
import { addMonthsClamped, amountForQuantity } from "./time";
import type { StoredEvent } from "./webhooks";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}

const METER_EVENT_MAX_AGE_S = 35 * 24 * 3600;
const METER_EVENT_MAX_FUTURE_S = 5 * 60;

interface RecordedMeterEvent {
  eventName: string;
  customer: string;
  value: number;
  timestamp: number;
}

interface SessionExtras {
  price: Stripe.Price;
  subscriptionMetadata: Record<string, string>;
}

interface SubscriptionState {
  sub: Stripe.Subscription;
  anchor: number;
  cycle: number;
}

export interface RequestInfo {
  requestId: string;
  idempotencyKey: string | null;
}

export class EmulatorState {
  clockOffsetS = 0;
  customers = new Map<string, Stripe.Customer>();
  products = new Map<string, Stripe.Product>();
  prices = new Map<string, Stripe.Price>();
  meters = new Map<string, Stripe.Billing.Meter>();
  meterEvents: RecordedMeterEvent[] = [];
  meterIdentifiers = new Set<string>();
  sessions = new Map<string, Stripe.Checkout.Session>();
  sessionExtras = new Map<string, SessionExtras>();
  subscriptions = new Map<string, SubscriptionState>();
  invoices = new Map<string, Stripe.Invoice>();
  portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  charges = new Map<string, Stripe.Charge>();
  disputes = new Map<string, Stripe.Dispute>();
  events = new Map<string, StoredEvent>();
  /** Customer ids (or "*" for anyone) whose next payment attempt fails. */
  failNext = new Set<string>();
  private invoiceCounter = 0;
  private batch: StoredEvent[] = [];
  request: RequestInfo | null = null;

  constructor(
    private readonly bootstrapData: EmulatorBootstrap,
    private readonly webhooksEnabled: boolean,
    private readonly publicUrl: () => string,
  ) {
    this.bootstrap();
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetS;
  }

  reset(): void {
    this.clockOffsetS = 0;
    for (const map of [
      this.customers,
      this.products,
      this.prices,
      this.meters,
      this.sessions,
      this.sessionExtras,
      this.subscriptions,
      this.invoices,
      this.portalSessions,
      this.charges,
      this.disputes,
      this.events,
    ]) {
      map.clear();
    }
    this.meterEvents = [];
    this.meterIdentifiers.clear();
    this.failNext.clear();
    this.invoiceCounter = 0;
    this.batch = [];
    this.bootstrap();
  }

  private bootstrap(): void {
    const created = this.now();
    for (const m of this.bootstrapData.meters) this.meters.set(m.id, buildMeter({ ...m, created }));
    for (const p of this.bootstrapData.products) this.products.set(p.id, buildProduct({ ...p, created }));
    for (const p of this.bootstrapData.prices) this.prices.set(p.id, buildMeteredPrice({ ...p, created }));
  }

  /** Events emitted since the last call, in emission order (one webhook batch). */
  takeBatch(): StoredEvent[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }

  emit<T extends EmittedEventType>(type: T, object: EventObject<T>, previousAttributes?: Partial<EventObject<T>>): void {
    const event = buildEvent({
      id: newId("evt"),
      created: this.now(),
      type,
      object,
      previousAttributes,
      requestId: this.request?.requestId ?? null,
      idempotencyKey: this.request?.idempotencyKey ?? null,
      pendingWebhooks: this.webhooksEnabled ? 1 : 0,
    });
    // Serialized now: the event is a snapshot of the object at this moment.
    const stored: StoredEvent = { id: event.id, type, created: event.created, json: JSON.stringify(event, null, 2) };
    this.events.set(stored.id, stored);
    this.batch.push(stored);
  }

  // ---- lookups -------------------------------------------------------------------------------

  customer(id: string, param = "id"): Stripe.Customer {
    const c = this.customers.get(id);
    if (!c) throw noSuchResource("customer", id, param);
    return c;
  }

  price(id: string, param = "price"): Stripe.Price {
    const p = this.prices.get(id);
    if (!p) throw noSuchResource("price", id, param);
    return p;
  }

  subscriptionState(id: string): SubscriptionState {
    const s = this.subscriptions.get(id);
    if (!s) throw noSuchResource("subscription", id);
    return s;
  }

  invoice(id: string): Stripe.Invoice {
    const i = this.invoices.get(id);
    if (!i) throw noSuchResource("invoice", id);
    return i;
  }

  /** Any stored object by id, for `expand[]`. */
  findById(id: string): unknown {
    const prefix = id.slice(0, id.indexOf("_"));
    switch (prefix) {
      case "cus":
        return this.customers.get(id);
      case "prod":
        return this.products.get(id);
      case "price":
        return this.prices.get(id);
      case "mtr":
        return this.meters.get(id);
      case "cs":
        return this.sessions.get(id);
      case "sub":
        return this.subscriptions.get(id)?.sub;
      case "in":
        return this.invoices.get(id);
      case "ch":
        return this.charges.get(id);
      case "dp":
        return this.disputes.get(id);
      default:
        return undefined;
    }
  }

  // ---- customers -----------------------------------------------------------------------------

  createCustomer(input: {
    email: string | null;
    name: string | null;
    description: string | null;
    metadata: Record<string, string>;
  }): Stripe.Customer {
    const customer = buildCustomer({ id: newId("cus"), created: this.now(), ...input });
    this.customers.set(customer.id, customer);
    this.emit("customer.created", customer);
    return customer;
  }

  updateCustomer(
    id: string,
    change: { email?: string | null; name?: string | null; description?: string | null; metadata?: Record<string, string> },
  ): Stripe.Customer {
    const customer = this.customer(id);
    const previous: Partial<Stripe.Customer> = {};
    if (change.email !== undefined && change.email !== customer.email) {
      previous.email = customer.email;
      customer.email = change.email;
    }
    if (change.name !== undefined && change.name !== customer.name) {
      previous.name = customer.name ?? null;
      customer.name = change.name;
    }
    if (change.description !== undefined && change.description !== customer.description) {
      previous.description = customer.description;
      customer.description = change.description;
    }
    if (change.metadata !== undefined && JSON.stringify(change.metadata) !== JSON.stringify(customer.metadata)) {
      previous.metadata = customer.metadata;
      customer.metadata = change.metadata;
    }
    if (Object.keys(previous).length > 0) this.emit("customer.updated", customer, previous);
    return customer;
  }

  // ---- meters --------------------------------------------------------------------------------

  recordMeterEvent(input: {
    eventName: string;
    payload: Record<string, string>;
    identifier: string | undefined;
    timestamp: number | undefined;
  }): Stripe.Billing.MeterEvent {
    const meter = [...this.meters.values()].find((m) => m.event_name === input.eventName && m.status === "active");
    if (!meter) {
      throw new ApiError(400, "invalid_request_error", `No active meter was found for event name ${input.eventName}.`, {
        param: "event_name",
        code: "resource_missing",
      });
    }
    const now = this.now();
    const timestamp = input.timestamp ?? now;
    if (timestamp < now - METER_EVENT_MAX_AGE_S) {
      throw invalidParam("timestamp", "Timestamp must be within the past 35 calendar days.");
    }
    if (timestamp > now + METER_EVENT_MAX_FUTURE_S) {
      throw invalidParam("timestamp", "Timestamp must be no more than 5 minutes in the future.");
    }
    const customerKey = meter.customer_mapping.event_payload_key;
    const valueKey = meter.value_settings.event_payload_key;
    const customer = input.payload[customerKey];
    if (customer === undefined || customer === "") {
      throw new ApiError(400, "invalid_request_error", `Missing required param: payload[${customerKey}].`, {
        param: `payload[${customerKey}]`,
        code: "parameter_missing",
      });
    }
    const rawValue = input.payload[valueKey];
    if (rawValue === undefined || !/^\d+$/.test(rawValue) || !Number.isSafeInteger(Number(rawValue))) {
      throw invalidParam(`payload[${valueKey}]`, `payload[${valueKey}] must be a non-negative whole number.`);
    }
    const identifier = input.identifier ?? newId("mev").replace("mev_", "");
    if (this.meterIdentifiers.has(identifier)) {
      // What Stripe answers for a repeated identifier (not retryable, nothing counted twice).
      throw new ApiError(400, "invalid_request_error", `An event already exists with identifier ${identifier}.`, {
        param: "identifier",
        code: "resource_already_exists",
      });
    }
    this.meterIdentifiers.add(identifier);
    this.meterEvents.push({ eventName: input.eventName, customer, value: Number(rawValue), timestamp });
    return buildMeterEvent({
      created: now,
      eventName: input.eventName,
      identifier,
      payload: input.payload,
      timestamp,
    });
  }

  meterTotal(eventName: string, customer: string, start: number, end: number): number {
    let total = 0;
    for (const e of this.meterEvents) {
      if (e.eventName === eventName && e.customer === customer && e.timestamp >= start && e.timestamp < end) {
        total += e.value;
      }
    }
    return total;
  }

  meterSummaries(
    meterId: string,
    customer: string,
    start: number,
    end: number,
    grouping: "hour" | "day" | undefined,
  ): Stripe.Billing.MeterEventSummary[] {
    const meter = this.meters.get(meterId);
    if (!meter) throw noSuchResource("billing.meter", meterId);
    if (end <= start) throw invalidParam("end_time", "end_time must be after start_time.");
    const windows: Array<[number, number]> = [];
    const step = grouping === "hour" ? 3600 : grouping === "day" ? 86400 : end - start;
    for (let s = start; s < end; s += step) windows.push([s, Math.min(s + step, end)]);
    return windows.map(([s, e]) =>
      buildMeterEventSummary({
        id: `mtrusg_${meterId.slice(4)}_${customer}_${s}`,
        meter: meterId,
        start: s,
        end: e,
        value: this.meterTotal(meter.event_name, customer, s, e),
      }),
    );
  }

  // ---- checkout ------------------------------------------------------------------------------

  createCheckoutSession(input: {
    publicUrl: string;
    customer: string | null;
    customerEmail: string | null;
    price: Stripe.Price;
    clientReferenceId: string | null;
    successUrl: string;
    cancelUrl: string | null;
    metadata: Record<string, string>;
    subscriptionMetadata: Record<string, string>;
  }): Stripe.Checkout.Session {
    const id = newId("cs_test");
    const session = buildCheckoutSession({
      id,
      created: this.now(),
      url: `${input.publicUrl}/checkout/${id}`,
      customer: input.customer,
      customerEmail: input.customerEmail,
      clientReferenceId: input.clientReferenceId,
      currency: input.price.currency,
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
      metadata: input.metadata,
    });
    this.sessions.set(id, session);
    this.sessionExtras.set(id, { price: input.price, subscriptionMetadata: input.subscriptionMetadata });
    return session;
  }

  session(id: string): Stripe.Checkout.Session {
    const s = this.sessions.get(id);
    if (!s) throw noSuchResource("checkout.session", id);
    return s;
  }

  sessionPrice(id: string): Stripe.Price {
    const extras = this.sessionExtras.get(id);
    if (!extras) throw noSuchResource("checkout.session", id);
    return extras.price;
  }

  /** The hosted page's "Subscribe": customer (if needed) → subscription → session complete. */
  completeCheckout(id: string, email: string | null): Stripe.Checkout.Session {
    const session = this.session(id);
    const extras = this.sessionExtras.get(id);
    if (!extras) throw noSuchResource("checkout.session", id);
    if (session.status === "complete") return session;
    if (session.status !== "open") {
      throw new ApiError(400, "invalid_request_error", "This Checkout Session is no longer active.");
    }
    const customerId =
      typeof session.customer === "string"
        ? session.customer
        : this.createCustomer({ email: email ?? session.customer_email, name: null, description: null, metadata: {} }).id;
    const customer = this.customer(customerId);
    const sub = this.createSubscription(customer.id, extras.price, extras.subscriptionMetadata);
    session.status = "complete";
    session.payment_status = "paid";
    session.customer = customer.id;
    session.subscription = sub.id;
    session.customer_details = {
      address: null,
      business_name: null,
      email: customer.email ?? email,
      individual_name: null,
      name: customer.name ?? null,
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    };
    this.emit("checkout.session.completed", session);
    return session;
  }

  // ---- subscriptions -------------------------------------------------------------------------

  createSubscription(customer: string, price: Stripe.Price, metadata: Record<string, string>): Stripe.Subscription {
    const now = this.now();
    const id = newId("sub");
    const item = buildSubscriptionItem({
      id: newId("si"),
      created: now,
      subscription: id,
      price,
      periodStart: now,
      periodEnd: addMonthsClamped(now, 1),
    });
    const sub = buildSubscription({ id, created: now, customer, currency: price.currency, metadata, item });
    this.subscriptions.set(id, { sub, anchor: now, cycle: 0 });
    this.emit("customer.subscription.created", sub);
    return sub;
  }

  updateSubscription(
    id: string,
    change: { cancelAtPeriodEnd?: boolean; metadata?: Record<string, string> },
  ): Stripe.Subscription {
    const { sub } = this.subscriptionState(id);
    if (sub.status === "canceled" || sub.status === "incomplete_expired") {
      throw new ApiError(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
    }
    const previous: Partial<Stripe.Subscription> = {};
    if (change.cancelAtPeriodEnd !== undefined && change.cancelAtPeriodEnd !== sub.cancel_at_period_end) {
      previous.cancel_at_period_end = sub.cancel_at_period_end;
      previous.cancel_at = sub.cancel_at;
      previous.canceled_at = sub.canceled_at;
      sub.cancel_at_period_end = change.cancelAtPeriodEnd;
      sub.cancel_at = change.cancelAtPeriodEnd ? periodOf(sub).end : null;
      sub.canceled_at = change.cancelAtPeriodEnd ? this.now() : null;
      if (sub.cancellation_details) sub.cancellation_details.reason = change.cancelAtPeriodEnd ? "cancellation_requested" : null;
    }
    if (change.metadata !== undefined && JSON.stringify(change.metadata) !== JSON.stringify(sub.metadata)) {
      previous.metadata = sub.metadata;
      sub.metadata = change.metadata;
    }
    if (Object.keys(previous).length > 0) this.emit("customer.subscription.updated", sub, previous);
    return sub;
  }

  cancelSubscription(id: string): Stripe.Subscription {
    const { sub } = this.subscriptionState(id);
    if (sub.status === "canceled") {
      throw new ApiError(404, "invalid_request_error", `No such subscription: '${id}'`, { code: "resource_missing", param: "id" });
    }
    const now = this.now();
    sub.status = "canceled";
    sub.canceled_at = now;
    sub.ended_at = now;
    if (sub.cancellation_details) sub.cancellation_details.reason = "cancellation_requested";
    this.emit("customer.subscription.deleted", sub);
    return sub;
  }

  // ---- clock and billing ---------------------------------------------------------------------

  advanceClock(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw invalidParam("seconds", "seconds must be a non-negative number.");
    this.clockOffsetS += Math.floor(seconds);
    this.runBilling();
  }

  advanceToPeriodEndOf(subscriptionId: string): void {
    const { sub } = this.subscriptionState(subscriptionId);
    const end = periodOf(sub).end;
    this.advanceClock(Math.max(0, end - this.now()));
  }

  /** Bills every subscription whose period ended, oldest period first, catching up several periods. */
  runBilling(): void {
    const now = this.now();
    for (;;) {
      const due = [...this.subscriptions.values()]
        .filter((s) => s.sub.status !== "canceled" && periodOf(s.sub).end <= now)
        .sort((a, b) => periodOf(a.sub).end - periodOf(b.sub).end);
      const next = due[0];
      if (!next) return;
      this.closePeriod(next);
    }
  }

  private closePeriod(state: SubscriptionState): void {
    const { sub } = state;
    const item = firstItem(sub);
    const { start, end } = periodOf(sub);
    const meterId = item.price.recurring?.meter ?? null;
    const meter = meterId === null ? undefined : this.meters.get(meterId);
    const customerId = typeof sub.customer === "string" ? sub.customer : sub.customer.id;
    const customer = this.customer(customerId);
    const quantity = meter ? this.meterTotal(meter.event_name, customer.id, start, end) : (item.quantity ?? 0);
    const amount = amountForQuantity(quantity, item.price.unit_amount_decimal?.toString() ?? String(item.price.unit_amount ?? 0));

    const invoiceId = newId("in");
    const invoice = buildInvoice({
      id: invoiceId,
      created: end,
      customer,
      subscription: sub,
      billingReason: "subscription_cycle",
      periodStart: start,
      periodEnd: end,
      lines: [
        buildInvoiceLine({
          id: newId("il"),
          invoice: invoiceId,
          subscription: sub,
          item,
          quantity,
          amount,
          periodStart: start,
          periodEnd: end,
        }),
      ],
    });
    this.invoices.set(invoiceId, invoice);
    this.emit("invoice.created", invoice);

    this.invoiceCounter++;
    invoice.status = "open";
    invoice.number = `${customer.invoice_prefix ?? "EMU"}-${String(this.invoiceCounter).padStart(4, "0")}`;
    invoice.effective_at = end;
    invoice.hosted_invoice_url = `${this.publicUrl()}/invoices/${invoiceId}`;
    invoice.status_transitions.finalized_at = end;
    this.emit("invoice.finalized", invoice);

    const previousLatest = sub.latest_invoice;
    sub.latest_invoice = invoiceId;
    this.attemptPayment(invoice, customer, sub);

    const previousItems = structuredItems(sub);
    if (sub.cancel_at_period_end) {
      sub.status = "canceled";
      sub.ended_at = end;
      this.emit("customer.subscription.deleted", sub);
      return;
    }
    state.cycle++;
    item.current_period_start = end;
    item.current_period_end = addMonthsClamped(state.anchor, state.cycle + 1);
    this.emit("customer.subscription.updated", sub, { items: previousItems, latest_invoice: previousLatest });
  }

  private attemptPayment(invoice: Stripe.Invoice, customer: Stripe.Customer, sub: Stripe.Subscription): void {
    invoice.attempted = true;
    invoice.attempt_count++;
    if (invoice.amount_due === 0) {
      this.markPaid(invoice, sub, null);
      return;
    }
    const failKey = this.failNext.has(customer.id) ? customer.id : this.failNext.has("*") ? "*" : null;
    const succeeded = failKey === null;
    if (failKey !== null) this.failNext.delete(failKey);
    const charge = buildCharge({
      id: newId("ch"),
      created: this.now(),
      customer: customer.id,
      amount: invoice.amount_due,
      currency: invoice.currency,
      description: `Subscription update (invoice ${invoice.number ?? invoice.id})`,
      succeeded,
      email: customer.email,
    });
    this.charges.set(charge.id, charge);
    if (succeeded) {
      this.emit("charge.succeeded", charge);
      this.markPaid(invoice, sub, charge);
      return;
    }
    this.emit("charge.failed", charge);
    this.emit("invoice.payment_failed", invoice);
    if (sub.status !== "past_due" && sub.status !== "canceled") {
      const previousStatus = sub.status;
      sub.status = "past_due";
      this.emit("customer.subscription.updated", sub, { status: previousStatus });
    }
  }

  private markPaid(invoice: Stripe.Invoice, sub: Stripe.Subscription, charge: Stripe.Charge | null): void {
    invoice.status = "paid";
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.status_transitions.paid_at = charge?.created ?? invoice.status_transitions.finalized_at ?? this.now();
    this.emit("invoice.paid", invoice);
    this.emit("invoice.payment_succeeded", invoice);
    if (sub.status === "past_due" && !this.hasOpenInvoice(sub.id)) {
      sub.status = "active";
      this.emit("customer.subscription.updated", sub, { status: "past_due" });
    }
  }

  private hasOpenInvoice(subscriptionId: string): boolean {
    for (const inv of this.invoices.values()) {
      if (inv.status === "open" && invoiceSubscriptionId(inv) === subscriptionId) return true;
    }
    return false;
  }

  /** Retries payment of an open invoice (the card was fixed). */
  payInvoice(id: string): Stripe.Invoice {
    const invoice = this.invoice(id);
    if (invoice.status !== "open") {
      throw new ApiError(400, "invalid_request_error", `Invoice is already ${invoice.status ?? "unknown"}.`, {
        code: "invoice_not_open",
      });
    }
    const subId = invoiceSubscriptionId(invoice);
    const state = subId === null ? undefined : this.subscriptions.get(subId);
    const customerId = typeof invoice.customer === "string" ? invoice.customer : invoice.customer?.id;
    if (!state || customerId === undefined) throw noSuchResource("subscription", subId ?? "");
    this.attemptPayment(invoice, this.customer(customerId), state.sub);
    return invoice;
  }

  // ---- portal, disputes ----------------------------------------------------------------------

  createPortalSession(publicUrl: string, customer: string, returnUrl: string | null): Stripe.BillingPortal.Session {
    this.customer(customer, "customer");
    const id = newId("bps");
    const session = buildPortalSession({ id, created: this.now(), customer, returnUrl, url: `${publicUrl}/portal/${id}` });
    this.portalSessions.set(id, session);
    return session;
  }

  openDispute(customerId: string, amount: number | undefined): Stripe.Dispute {
    const customer = this.customer(customerId, "customer");
    let charge = [...this.charges.values()]
      .filter((c) => c.customer === customer.id && c.status === "succeeded" && !c.disputed)
      .at(-1);
    if (!charge) {
      // No payment yet: stand in a succeeded charge so the dispute has something to point at.
      const sub = [...this.subscriptions.values()].find((s) => s.sub.customer === customer.id);
      charge = buildCharge({
        id: newId("ch"),
        created: this.now(),
        customer: customer.id,
        amount: amount ?? 1000,
        currency: sub?.sub.currency ?? "usd",
        description: "Charge",
        succeeded: true,
        email: customer.email,
      });
      this.charges.set(charge.id, charge);
      this.emit("charge.succeeded", charge);
    }
    charge.disputed = true;
    const dispute = buildDispute({ id: newId("dp"), created: this.now(), charge, reason: "fraudulent" });
    this.disputes.set(dispute.id, dispute);
    this.emit("charge.dispute.created", dispute);
    return dispute;
  }
}

export function firstItem(sub: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = sub.items.data[0];
  if (!item) throw new Error(`Subscription ${sub.id} has no items`);
  return item;
}

export function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const item = firstItem(sub);
  return { start: item.current_period_start, end: item.current_period_end };
}

function structuredItems(sub: Stripe.Subscription): Stripe.ApiList<Stripe.SubscriptionItem> {
  return { ...sub.items, data: sub.items.data.map((i) => ({ ...i })) };
}

export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const s = invoice.parent?.subscription_details?.subscription;
  if (s === undefined || s === null) return null;
  return typeof s === "string" ? s : s.id;
}
