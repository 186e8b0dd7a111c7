// HTTP transport: `/v1` (Stripe API: auth, form params, idempotency, expand), the hosted pages,
// and `/_emulator` control endpoints for tests and the demo.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { apiRoutes, assertApiKey, type Route } from "./api";
import { ApiError, invalidParam, noSuchResource } from "./errors";
import { parseForm } from "./form";
import { API_VERSION } from "./objects";
import { checkoutPage, escapeHtml, invoicePage, portalPage } from "./pages";
import { Params } from "./params";
import { newId, type EmulatorState } from "./state";
import type { WebhookDispatcher, WebhookMode } from "./webhooks";

const MAX_BODY_BYTES = 1024 * 1024;

interface StoredResponse {
  method: string;
  path: string;
  body: string;
  status: number;
  json: string;
  requestId: string;
}

export interface EmulatorServerDeps {
  state: EmulatorState;
  webhooks: WebhookDispatcher;
  publicUrl: () => string;
  log?: (line: string) => void;
}

type Reply =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "html"; status: number; html: string }
  | { kind: "redirect"; location: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Applies `expand[]` paths (`subscription`, `data.customer`, `subscription.latest_invoice`). */
function expand(root: unknown, paths: string[], lookup: (id: string) => unknown): void {
  for (const path of paths) expandPath(root, path, path.split("."), lookup);
}

function expandPath(node: unknown, full: string, segments: string[], lookup: (id: string) => unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) expandPath(n, full, segments, lookup);
    return;
  }
  const [head, ...rest] = segments;
  if (!isRecord(node) || head === undefined) return;
  if (!(head in node)) {
    throw invalidParam("expand", `This property cannot be expanded (${full}).`);
  }
  let value = node[head];
  if (typeof value === "string") {
    const found = lookup(value);
    if (found !== undefined) {
      value = toJson(found);
      node[head] = value;
    }
  }
  if (rest.length > 0) expandPath(value, full, rest, lookup);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "invalid_request_error", "Request body too large.");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError(400, "invalid_request_error", "Control endpoints take a JSON object body.");
  }
  if (!isRecord(parsed)) throw new ApiError(400, "invalid_request_error", "Control endpoints take a JSON object body.");
  return parsed;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createEmulatorServer(deps: EmulatorServerDeps): Server {
  const { state, webhooks } = deps;
  const idempotency = new Map<string, StoredResponse>();

  function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of apiRoutes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (m) return { route, params: { ...m.groups } };
    }
    return undefined;
  }

  function handleApi(req: IncomingMessage, method: string, path: string, query: string, body: string): Reply {
    assertApiKey(header(req, "authorization"));
    const requestId = newId("req");
    const idempotencyKey = method === "POST" ? (header(req, "idempotency-key") ?? null) : null;
    if (idempotencyKey !== null) {
      const stored = idempotency.get(idempotencyKey);
      if (stored) {
        if (stored.method !== method || stored.path !== path || stored.body !== body) {
          throw new ApiError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          );
        }
        return {
          kind: "json",
          status: stored.status,
          body: JSON.parse(stored.json),
          headers: { "idempotent-replayed": "true", "idempotency-key": idempotencyKey, "request-id": stored.requestId },
        };
      }
    }
    const found = findRoute(method, path);
    if (!found) {
      throw new ApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
    }
    const params = new Params(parseForm(method === "POST" ? body : query));
    state.request = { requestId, idempotencyKey };
    let result: unknown;
    try {
      result = found.route.handler({ state, params, path: found.params, publicUrl: deps.publicUrl() });
    } catch (e) {
      // Card errors are the only failures Stripe stores for idempotent replay.
      if (idempotencyKey !== null && e instanceof ApiError && e.status === 402) {
        idempotency.set(idempotencyKey, { method, path, body, status: 402, json: JSON.stringify(e.toBody()), requestId });
      }
      throw e;
    } finally {
      state.request = null;
    }
    const json = toJson(result);
    expand(json, params.stringList("expand"), (id) => state.findById(id));
    if (idempotencyKey !== null) {
      idempotency.set(idempotencyKey, { method, path, body, status: 200, json: JSON.stringify(json), requestId });
    }
    const headers: Record<string, string> = { "request-id": requestId };
    if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
    return { kind: "json", status: 200, body: json, headers };
  }

  function handlePage(method: string, path: string, body: string): Reply | undefined {
    let m = /^\/checkout\/([^/]+)$/.exec(path);
    if (m?.[1] !== undefined) {
      const session = state.session(m[1]);
      if (method === "GET") {
        const price = state.sessionPrice(session.id);
        const productId = typeof price.product === "string" ? price.product : price.product.id;
        const email =
          session.customer_email ?? (typeof session.customer === "string" ? (state.customers.get(session.customer)?.email ?? null) : null);
        return { kind: "html", status: 200, html: checkoutPage(session, price, state.products.get(productId), email) };
      }
      if (method === "POST") {
        const email = new Params(parseForm(body)).optString("email");
        const done = state.completeCheckout(session.id, email === undefined || email === "" ? null : email);
        const target = (done.success_url ?? "/").replace(/\{CHECKOUT_SESSION_ID\}/g, done.id);
        return { kind: "redirect", location: target };
      }
    }
    m = /^\/checkout\/([^/]+)\/cancel$/.exec(path);
    if (m?.[1] !== undefined && method === "GET") {
      const session = state.session(m[1]);
      return { kind: "redirect", location: session.cancel_url ?? `/checkout/${session.id}` };
    }
    m = /^\/invoices\/([^/]+)$/.exec(path);
    if (m?.[1] !== undefined && method === "GET") {
      return { kind: "html", status: 200, html: invoicePage(state.invoice(m[1])) };
    }
    m = /^\/invoices\/([^/]+)\/pay$/.exec(path);
    if (m?.[1] !== undefined && method === "POST") {
      const invoice = state.invoice(m[1]);
      if (invoice.status === "open") state.payInvoice(invoice.id);
      return { kind: "redirect", location: `/invoices/${invoice.id}` };
    }
    m = /^\/portal\/([^/]+)$/.exec(path);
    if (m?.[1] !== undefined && method === "GET") {
      const portal = state.portalSessions.get(m[1]);
      if (!portal) throw noSuchResource("billing_portal.session", m[1]);
      const customer = state.customer(portal.customer);
      const subs = [...state.subscriptions.values()].map((s) => s.sub).filter((s) => s.customer === customer.id).reverse();
      const invoices = [...state.invoices.values()].filter((i) => i.customer === customer.id).reverse();
      return { kind: "html", status: 200, html: portalPage(portal, customer, subs, invoices) };
    }
    m = /^\/portal\/([^/]+)\/subscriptions\/([^/]+)\/(cancel|cancel-at-period-end|renew)$/.exec(path);
    if (m?.[1] !== undefined && m[2] !== undefined && method === "POST") {
      const portal = state.portalSessions.get(m[1]);
      if (!portal) throw noSuchResource("billing_portal.session", m[1]);
      const { sub } = state.subscriptionState(m[2]);
      if (sub.customer !== portal.customer) throw noSuchResource("subscription", m[2]);
      if (m[3] === "cancel") state.cancelSubscription(sub.id);
      else state.updateSubscription(sub.id, { cancelAtPeriodEnd: m[3] === "cancel-at-period-end" });
      return { kind: "redirect", location: `/portal/${portal.id}` };
    }
    return undefined;
  }

  async function handleControl(method: string, path: string, body: string): Promise<Reply | undefined> {
    const ok = (b: unknown): Reply => ({ kind: "json", status: 200, body: b });
    const clock = () => ({ now: state.now(), iso: new Date(state.now() * 1000).toISOString(), offsetSeconds: state.clockOffsetS });
    if (method === "POST" && path === "/_emulator/reset") {
      state.reset();
      webhooks.reset();
      idempotency.clear();
      return ok({ reset: true, clock: clock() });
    }
    if (method === "GET" && path === "/_emulator/clock") return ok(clock());
    if (method === "POST" && path === "/_emulator/clock/advance") {
      const input = parseJsonBody(body);
      if (typeof input.toPeriodEndOf === "string") state.advanceToPeriodEndOf(input.toPeriodEndOf);
      else if (typeof input.seconds === "number") state.advanceClock(input.seconds);
      else throw invalidParam("seconds", "Pass { seconds: number } or { toPeriodEndOf: subscriptionId }.");
      return ok(clock());
    }
    if (method === "POST" && path === "/_emulator/payments/fail-next") {
      const input = parseJsonBody(body);
      const customer = typeof input.customer === "string" ? state.customer(input.customer, "customer").id : "*";
      state.failNext.add(customer);
      return ok({ failNext: [...state.failNext] });
    }
    let m = /^\/_emulator\/invoices\/([^/]+)\/pay$/.exec(path);
    if (m?.[1] !== undefined && method === "POST") return ok(toJson(state.payInvoice(m[1])));
    if (method === "POST" && path === "/_emulator/disputes") {
      const input = parseJsonBody(body);
      if (typeof input.customer !== "string") throw invalidParam("customer", "customer is required.");
      const amount = typeof input.amount === "number" ? input.amount : undefined;
      return ok(toJson(state.openDispute(input.customer, amount)));
    }
    if (method === "POST" && path === "/_emulator/webhooks/mode") {
      webhooks.mode = parseMode(parseJsonBody(body), webhooks.mode);
      return ok(webhooks.mode);
    }
    if (method === "GET" && path === "/_emulator/webhooks/mode") return ok(webhooks.mode);
    if (method === "POST" && path === "/_emulator/webhooks/flush") {
      await webhooks.flush();
      return ok({ deliveries: webhooks.deliveries.length });
    }
    if (method === "GET" && path === "/_emulator/webhooks/deliveries") return ok({ deliveries: webhooks.deliveries });
    m = /^\/_emulator\/health$/.exec(path);
    if (m && method === "GET") return ok({ ok: true });
    return undefined;
  }

  async function route(req: IncomingMessage): Promise<Reply> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator");
    const path = url.pathname;
    const body = await readBody(req);
    if (path.startsWith("/v1/")) return handleApi(req, method, path, url.search.slice(1), body);
    if (path.startsWith("/_emulator/")) {
      const reply = await handleControl(method, path, body);
      if (reply) return reply;
    } else {
      const reply = handlePage(method, path, body);
      if (reply) return reply;
    }
    throw new ApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  function send(res: ServerResponse, reply: Reply, isPage: boolean, req: IncomingMessage): void {
    deps.log?.(`${req.method ?? "GET"} ${(req.url ?? "/").split("?")[0] ?? "/"} → ${reply.kind === "redirect" ? 303 : reply.status}`);
    res.setHeader("stripe-version", API_VERSION);
    if (reply.kind === "redirect") {
      res.writeHead(303, { location: reply.location });
      res.end();
      return;
    }
    if (reply.kind === "html") {
      res.writeHead(reply.status, { "content-type": "text/html; charset=utf-8" });
      res.end(reply.html);
      return;
    }
    if (isPage && reply.status >= 400) {
      const msg = isRecord(reply.body) && isRecord(reply.body.error) ? String(reply.body.error.message) : "Error";
      res.writeHead(reply.status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Error</title><h1>${reply.status}</h1><p>${escapeHtml(msg)}</p>`);
      return;
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body, null, 2));
  }

  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const isPage = !path.startsWith("/v1/") && !path.startsWith("/_emulator/");
    route(req)
      .then(
        (reply) => send(res, reply, isPage, req),
        (e: unknown) => {
          const err =
            e instanceof ApiError
              ? e
              : new ApiError(500, "api_error", e instanceof Error ? e.message : "Internal emulator error.");
          const headers: Record<string, string> = {};
          if (err.status === 400 && err.extra.param === "identifier") headers["stripe-should-retry"] = "false";
          send(res, { kind: "json", status: err.status, body: err.toBody(), headers }, isPage, req);
        },
      )
      .finally(() => webhooks.enqueue(state.takeBatch()));
  });
}

function parseMode(input: Record<string, unknown>, current: WebhookMode): WebhookMode {
  const next = { ...current };
  if (input.duplicates !== undefined) {
    if (typeof input.duplicates !== "number" || !Number.isInteger(input.duplicates) || input.duplicates < 1 || input.duplicates > 5) {
      throw invalidParam("duplicates", "duplicates must be an integer from 1 to 5.");
    }
    next.duplicates = input.duplicates;
  }
  if (input.order !== undefined) {
    if (input.order !== "normal" && input.order !== "reverse") throw invalidParam("order", "order must be normal or reverse.");
    next.order = input.order;
  }
  if (input.hold !== undefined) {
    if (typeof input.hold !== "boolean") throw invalidParam("hold", "hold must be a boolean.");
    next.hold = input.hold;
  }
  return next;
}
