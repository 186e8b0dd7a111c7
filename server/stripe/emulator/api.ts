// The `/v1` Stripe API: each route reads Stripe-style params and returns an SDK-typed object.
import type Stripe from "stripe";
import { ApiError, invalidParam, missingParam, noSuchResource } from "./errors";
import { Params } from "./params";
import { invoiceSubscriptionId, type EmulatorState } from "./state";

export interface ApiContext {
  state: EmulatorState;
  params: Params;
  path: Record<string, string>;
  publicUrl: string;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  handler: (ctx: ApiContext) => unknown;
}

interface Listable {
  id: string;
}

/** Stripe list envelope with `limit`/`starting_after`/`ending_before`, newest first. */
export function listOf<T extends Listable>(itemsOldestFirst: T[], params: Params, url: string): Stripe.ApiList<T> {
  const limit = params.optInt("limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100.");
  const items = [...itemsOldestFirst].reverse();
  const after = params.optString("starting_after");
  const before = params.optString("ending_before");
  let slice: T[];
  if (after !== undefined) {
    const idx = items.findIndex((i) => i.id === after);
    if (idx === -1) throw noSuchResource("object", after, "starting_after");
    slice = items.slice(idx + 1);
  } else if (before !== undefined) {
    const idx = items.findIndex((i) => i.id === before);
    if (idx === -1) throw noSuchResource("object", before, "ending_before");
    slice = items.slice(Math.max(0, idx - limit), idx);
    return { object: "list", data: slice, has_more: idx - limit > 0, url };
  } else {
    slice = items;
  }
  return { object: "list", data: slice.slice(0, limit), has_more: slice.length > limit, url };
}

function nullableString(params: Params, name: string): string | null | undefined {
  const v = params.optString(name);
  if (v === undefined) return undefined;
  return v === "" ? null : v;
}

function customerIdOf(value: string | { id: string } | null): string | null {
  if (value === null) return null;
  return typeof value === "string" ? value : value.id;
}

/** `query` of a search request: clauses `field:'value'` joined by AND. */
function parseSearchQuery(query: string): Array<{ field: string; value: string }> {
  const clauses = query.split(/\s+AND\s+/i);
  return clauses.map((clause) => {
    const m = /^\s*([a-z_]+(?:\[['"][^'"]+['"]\])?)\s*:\s*['"]([^'"]*)['"]\s*$/i.exec(clause);
    if (!m || m[1] === undefined || m[2] === undefined) throw invalidParam("query", `Unsupported search query: ${clause}`);
    return { field: m[1], value: m[2] };
  });
}

function customerMatches(c: Stripe.Customer, field: string, value: string): boolean {
  const meta = /^metadata\[['"]([^'"]+)['"]\]$/.exec(field);
  if (meta?.[1] !== undefined) return c.metadata[meta[1]] === value;
  if (field === "email") return c.email === value;
  if (field === "name") return c.name === value;
  throw invalidParam("query", `Field ${field} is not supported in this search.`);
}

export const apiRoutes: Route[] = [
  // customers
  {
    method: "POST",
    pattern: /^\/v1\/customers$/,
    handler: ({ state, params }) =>
      state.createCustomer({
        email: nullableString(params, "email") ?? null,
        name: nullableString(params, "name") ?? null,
        description: nullableString(params, "description") ?? null,
        metadata: params.applyMetadata({}),
      }),
  },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/search$/,
    handler: ({ state, params }) => {
      const clauses = parseSearchQuery(params.string("query"));
      const data = [...state.customers.values()]
        .filter((c) => clauses.every((cl) => customerMatches(c, cl.field, cl.value)))
        .reverse();
      const limit = params.optInt("limit") ?? 10;
      const result: Stripe.ApiSearchResult<Stripe.Customer> = {
        object: "search_result",
        data: data.slice(0, limit),
        has_more: data.length > limit,
        next_page: null,
        url: "/v1/customers/search",
      };
      return result;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.customer(path.id ?? ""),
  },
  {
    method: "POST",
    pattern: /^\/v1\/customers\/(?<id>[^/]+)$/,
    handler: ({ state, params, path }) => {
      const customer = state.customer(path.id ?? "");
      return state.updateCustomer(customer.id, {
        email: nullableString(params, "email"),
        name: nullableString(params, "name"),
        description: nullableString(params, "description"),
        metadata: params.raw.metadata === undefined ? undefined : params.applyMetadata(customer.metadata),
      });
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/customers$/,
    handler: ({ state, params }) => {
      const email = params.optString("email");
      const all = [...state.customers.values()].filter((c) => email === undefined || c.email === email);
      return listOf(all, params, "/v1/customers");
    },
  },

  // products and prices
  {
    method: "GET",
    pattern: /^\/v1\/products\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => {
      const p = state.products.get(path.id ?? "");
      if (!p) throw noSuchResource("product", path.id ?? "");
      return p;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/products$/,
    handler: ({ state, params }) => listOf([...state.products.values()], params, "/v1/products"),
  },
  {
    method: "GET",
    pattern: /^\/v1\/prices\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.price(path.id ?? "", "id"),
  },
  {
    method: "GET",
    pattern: /^\/v1\/prices$/,
    handler: ({ state, params }) => {
      const lookupKeys = params.stringList("lookup_keys");
      const product = params.optString("product");
      const currency = params.optString("currency");
      const all = [...state.prices.values()].filter(
        (p) =>
          (lookupKeys.length === 0 || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          (product === undefined || p.product === product) &&
          (currency === undefined || p.currency === currency),
      );
      return listOf(all, params, "/v1/prices");
    },
  },

  // billing meters
  {
    method: "GET",
    pattern: /^\/v1\/billing\/meters$/,
    handler: ({ state, params }) => listOf([...state.meters.values()], params, "/v1/billing/meters"),
  },
  {
    method: "GET",
    pattern: /^\/v1\/billing\/meters\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => {
      const m = state.meters.get(path.id ?? "");
      if (!m) throw noSuchResource("billing.meter", path.id ?? "");
      return m;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/billing\/meters\/(?<id>[^/]+)\/event_summaries$/,
    handler: ({ state, params, path }) => {
      const start = params.optInt("start_time");
      const end = params.optInt("end_time");
      if (start === undefined) throw missingParam("start_time");
      if (end === undefined) throw missingParam("end_time");
      const grouping = params.optString("value_grouping_window");
      if (grouping !== undefined && grouping !== "hour" && grouping !== "day") {
        throw invalidParam("value_grouping_window", "value_grouping_window must be one of hour, day.");
      }
      const id = path.id ?? "";
      const summaries = state.meterSummaries(id, params.string("customer"), start, end, grouping);
      return listOf(summaries, params, `/v1/billing/meters/${id}/event_summaries`);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/billing\/meter_events$/,
    handler: ({ state, params }) => {
      const payload: Record<string, string> = {};
      for (const [k, v] of Object.entries(params.optObject("payload") ?? {})) {
        if (typeof v !== "string") throw invalidParam(`payload[${k}]`, "Payload values must be strings.");
        payload[k] = v;
      }
      return state.recordMeterEvent({
        eventName: params.string("event_name"),
        payload,
        identifier: params.optString("identifier"),
        timestamp: params.optInt("timestamp"),
      });
    },
  },

  // checkout
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: ({ state, params, publicUrl }) => {
      const mode = params.string("mode");
      if (mode !== "subscription") throw invalidParam("mode", "The emulator supports mode=subscription only.");
      const items = params.list("line_items");
      if (items.length !== 1) throw invalidParam("line_items", "Exactly one line item is supported.");
      const item = new Params(typeof items[0] === "object" ? items[0] : {});
      const price = state.price(item.string("price"), "line_items[0][price]");
      if (price.recurring?.usage_type === "metered" && item.optString("quantity") !== undefined) {
        throw invalidParam("line_items[0][quantity]", "Quantity should not be specified where usage_type is `metered`. Remove quantity from `line_items[0]`.");
      }
      const customer = params.optString("customer") ?? null;
      if (customer !== null) state.customer(customer, "customer");
      const successUrl = params.string("success_url");
      return state.createCheckoutSession({
        publicUrl,
        customer,
        customerEmail: params.optString("customer_email") ?? null,
        price,
        clientReferenceId: params.optString("client_reference_id") ?? null,
        successUrl,
        cancelUrl: params.optString("cancel_url") ?? null,
        metadata: params.applyMetadata({}),
        subscriptionMetadata: params.child("subscription_data").applyMetadata({}),
      });
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.session(path.id ?? ""),
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: ({ state, params }) => {
      const customer = params.optString("customer");
      const subscription = params.optString("subscription");
      const all = [...state.sessions.values()].filter(
        (s) =>
          (customer === undefined || s.customer === customer) &&
          (subscription === undefined || s.subscription === subscription),
      );
      return listOf(all, params, "/v1/checkout/sessions");
    },
  },

  // subscriptions
  {
    method: "GET",
    pattern: /^\/v1\/subscriptions\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.subscriptionState(path.id ?? "").sub,
  },
  {
    method: "GET",
    pattern: /^\/v1\/subscriptions$/,
    handler: ({ state, params }) => {
      const customer = params.optString("customer");
      const price = params.optString("price");
      const status = params.optString("status");
      const all = [...state.subscriptions.values()]
        .map((s) => s.sub)
        .filter(
          (s) =>
            (customer === undefined || customerIdOf(s.customer) === customer) &&
            (price === undefined || s.items.data.some((i) => i.price.id === price)) &&
            // Stripe's default list hides canceled subscriptions; `status=all` shows everything.
            (status === "all" || (status === undefined ? s.status !== "canceled" : s.status === status)),
        );
      return listOf(all, params, "/v1/subscriptions");
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/subscriptions\/(?<id>[^/]+)$/,
    handler: ({ state, params, path }) => {
      const { sub } = state.subscriptionState(path.id ?? "");
      return state.updateSubscription(sub.id, {
        cancelAtPeriodEnd: params.optBool("cancel_at_period_end"),
        metadata: params.raw.metadata === undefined ? undefined : params.applyMetadata(sub.metadata),
      });
    },
  },
  {
    method: "DELETE",
    pattern: /^\/v1\/subscriptions\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.cancelSubscription(path.id ?? ""),
  },

  // invoices
  {
    method: "GET",
    pattern: /^\/v1\/invoices\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => state.invoice(path.id ?? ""),
  },
  {
    method: "POST",
    pattern: /^\/v1\/invoices\/(?<id>[^/]+)\/pay$/,
    handler: ({ state, path }) => {
      const invoice = state.payInvoice(path.id ?? "");
      if (invoice.status === "open") {
        throw new ApiError(402, "card_error", "Your card was declined.", { code: "card_declined", decline_code: "generic_decline" });
      }
      return invoice;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/invoices\/(?<id>[^/]+)\/lines$/,
    handler: ({ state, params, path }) => {
      const invoice = state.invoice(path.id ?? "");
      return listOf([...invoice.lines.data].reverse(), params, `/v1/invoices/${invoice.id}/lines`);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/invoices$/,
    handler: ({ state, params }) => {
      const customer = params.optString("customer");
      const subscription = params.optString("subscription");
      const status = params.optString("status");
      const all = [...state.invoices.values()].filter(
        (i) =>
          (customer === undefined || customerIdOf(i.customer) === customer) &&
          (subscription === undefined || invoiceSubscriptionId(i) === subscription) &&
          (status === undefined || i.status === status),
      );
      return listOf(all, params, "/v1/invoices");
    },
  },

  // billing portal
  {
    method: "POST",
    pattern: /^\/v1\/billing_portal\/sessions$/,
    handler: ({ state, params, publicUrl }) =>
      state.createPortalSession(publicUrl, params.string("customer"), params.optString("return_url") ?? null),
  },

  // charges and disputes
  {
    method: "GET",
    pattern: /^\/v1\/charges\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => {
      const c = state.charges.get(path.id ?? "");
      if (!c) throw noSuchResource("charge", path.id ?? "");
      return c;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/disputes\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => {
      const d = state.disputes.get(path.id ?? "");
      if (!d) throw noSuchResource("dispute", path.id ?? "");
      return d;
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/disputes$/,
    handler: ({ state, params }) => listOf([...state.disputes.values()], params, "/v1/disputes"),
  },

  // events (stored as serialized snapshots)
  {
    method: "GET",
    pattern: /^\/v1\/events\/(?<id>[^/]+)$/,
    handler: ({ state, path }) => {
      const e = state.events.get(path.id ?? "");
      if (!e) throw noSuchResource("event", path.id ?? "");
      return JSON.parse(e.json);
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/events$/,
    handler: ({ state, params }) => {
      const type = params.optString("type");
      const types = params.stringList("types");
      const all = [...state.events.values()].filter(
        (e) => (type === undefined || matchesType(e.type, type)) && (types.length === 0 || types.includes(e.type)),
      );
      const page = listOf(all, params, "/v1/events");
      return { ...page, data: page.data.map((e) => JSON.parse(e.json)) };
    },
  },
];

function matchesType(type: string, pattern: string): boolean {
  if (!pattern.endsWith("*")) return type === pattern;
  return type.startsWith(pattern.slice(0, -1));
}

export function assertApiKey(authorization: string | undefined): void {
  const key = apiKeyOf(authorization ?? "");
  if (key === undefined) {
    throw new ApiError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (!key.startsWith("sk_")) {
    throw new ApiError(401, "invalid_request_error", `Invalid API Key provided: ${key.slice(0, 8)}****`, {
      code: "api_key_invalid",
    });
  }
}

/** Stripe takes the key as a Bearer token or as the Basic auth user name (`curl -u sk_test_…:`). */
function apiKeyOf(authorization: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (bearer !== undefined) return bearer;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
  if (basic === undefined) return undefined;
  const user = Buffer.from(basic, "base64").toString("utf8").split(":")[0];
  return user === undefined || user === "" ? undefined : user;
}
