// A tiny webhook receiver for tests: records every delivery and answers with scripted statuses.
import { createServer, type IncomingMessage } from "node:http";

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
