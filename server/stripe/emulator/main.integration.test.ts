// `npm run emulator` as a process: one line when listening, serves the API, exits 0 on SIGTERM.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import path from "node:path";
import Stripe from "stripe";
import { expect, it } from "vitest";

it("starts from main.ts, prints its URL, serves the SDK and shuts down on SIGTERM", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "main.ts")], {
    env: { ...process.env, STRIPE_EMULATOR_PORT: "0", STRIPE_WEBHOOK_URL: "http://127.0.0.1:9/unused" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = await once(lines, "line");
  const line = String(first);
  const url = /listening on (http:\/\/localhost:(\d+))$/.exec(line);
  expect(url).not.toBeNull();
  const port = Number(url?.[2]);

  const stripe = new Stripe("sk_test_emulator", { host: "localhost", port, protocol: "http", maxNetworkRetries: 0 });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: "price_credits_usd" }],
    success_url: "http://app.local/ok",
  });
  expect(session.url).toBe(`${url?.[1]}/checkout/${session.id}`);

  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = await exited;
  expect(code).toBe(0);
});
