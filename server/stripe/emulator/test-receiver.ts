// A tiny webhook receiver for tests: records every delivery and answers with scripted statuses.
import { createServer, type IncomingMessage } from "node:http";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { startEmulator, type RunningEmulator } from "./index";

export interface ReceivedWebhook {
  body: string;
  signature: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with, in order; once used up, every delivery gets 200. */
  script: number[];
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: "", received: [], script: [], close: async () => undefined };
  const server = createServer((req, res) => {
    readAll(req).then((body) => {
      const status = receiver.script.shift() ?? 200;
      const sig = req.headers["stripe-signature"];
      receiver.received.push({ body, signature: Array.isArray(sig) ? (sig[0] ?? "") : (sig ?? ""), status });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: status < 300 }));
    }, () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("receiver has no TCP address");
  receiver.url = `http://127.0.0.1:${address.port}/webhook`;
  receiver.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  return receiver;
}

/** An emulator delivering to a receiver, with the real SDK pointed at it; reset before every test. */
export interface EmulatorRig {
  emu: RunningEmulator;
  receiver: WebhookReceiver;
  stripe: Stripe;
  /** POSTs a `/_emulator/...` control endpoint and expects 200. */
  control(path: string, body?: unknown): Promise<unknown>;
  /** Every delivery so far, verified with the SDK's `constructEvent`. */
  receivedEvents(): Stripe.Event[];
}

export function useEmulatorRig(secret: string, webhookRetryDelaysMs: number[]): EmulatorRig {
  const rig = {} as EmulatorRig;
  beforeAll(async () => {
    const receiver = await startWebhookReceiver();
    const emu = await startEmulator({ port: 0, webhookUrl: receiver.url, webhookSecret: secret, webhookRetryDelaysMs });
    const stripe = new Stripe("sk_test_emulator", { host: "localhost", port: emu.port, protocol: "http", maxNetworkRetries: 0 });
    Object.assign(rig, {
      emu,
      receiver,
      stripe,
      async control(path: string, body: unknown = {}) {
        const res = await fetch(`${emu.url}/_emulator/${path}`, { method: "POST", body: JSON.stringify(body) });
        expect(res.status).toBe(200);
        return res.json();
      },
      receivedEvents: () => receiver.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, secret)),
    } satisfies EmulatorRig);
  });
  afterAll(async () => {
    await rig.emu.close();
    await rig.receiver.close();
  });
  beforeEach(async () => {
    await rig.control("reset");
    rig.receiver.received.length = 0;
    rig.receiver.script.length = 0;
  });
  return rig;
}
