// In-process entry: start a Stripe emulator on a port (0 = random) for tests and the demo.
import { defaultBootstrap, type EmulatorBootstrap } from "./bootstrap";
import { createEmulatorServer } from "./server";
import { EmulatorState } from "./state";
import { WebhookDispatcher } from "./webhooks";

export type { EmulatorBootstrap } from "./bootstrap";
export { defaultBootstrap } from "./bootstrap";
export { signPayload, type DeliveryAttempt, type WebhookMode } from "./webhooks";

export interface StartEmulatorOptions {
  port?: number;
  /** Where webhooks go; without one, events are recorded but not delivered. */
  webhookUrl?: string;
  webhookSecret: string;
  /** Base URL of hosted pages (checkout, portal); defaults to http://localhost:<port>. */
  publicUrl?: string;
  bootstrap?: EmulatorBootstrap;
  /** Delays before each webhook retry; its length is the number of retries. */
  webhookRetryDelaysMs?: number[];
  host?: string;
  /** One line per request and per webhook attempt (the CLI prints them). */
  log?: (line: string) => void;
  /**
   * Where the clock starts relative to real time, in seconds (negative = in the past), like a
   * Stripe test clock created in the past. The demo starts a month back so it can close one
   * billing period at once. `/_emulator/reset` returns the clock to real time.
   */
  clockOffsetSeconds?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Delivers held webhooks and waits until every queued delivery (and retry) has settled. */
  flushWebhooks(): Promise<void>;
}

export async function startEmulator(opts: StartEmulatorOptions): Promise<RunningEmulator> {
  const webhooks = new WebhookDispatcher({
    url: opts.webhookUrl,
    secret: opts.webhookSecret,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [1_000, 2_000, 5_000, 10_000, 30_000, 60_000],
    timeoutMs: 10_000,
    log: opts.log,
  });
  let publicUrl = opts.publicUrl;
  const state = new EmulatorState(opts.bootstrap ?? defaultBootstrap, webhooks.enabled, () => publicUrl ?? "");
  state.clockOffsetS = Math.trunc(opts.clockOffsetSeconds ?? 0);
  const server = createEmulatorServer({ state, webhooks, publicUrl: () => publicUrl ?? "", log: opts.log });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // No host: Node's default (all interfaces, IPv6 and IPv4), so `localhost` works either way.
    server.listen(opts.port ?? 0, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("emulator has no TCP address");
  const port = address.port;
  const url = `http://localhost:${port}`;
  publicUrl ??= url;
  return {
    url,
    port,
    flushWebhooks: () => webhooks.flush(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        webhooks.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
