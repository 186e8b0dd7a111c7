// An emulator whose clock starts in the past (like a Stripe test clock created back in time):
// objects are stamped with that clock, and closing a period brings it forward.
import Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./index";

const DAY = 86_400;
let emu: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, webhookSecret: "whsec_offset", clockOffsetSeconds: -30 * DAY });
  stripe = new Stripe("sk_test_emulator", { host: "localhost", port: emu.port, protocol: "http", maxNetworkRetries: 0 });
});

afterAll(async () => {
  await emu.close();
});

async function emulatorClock(): Promise<{ now: number; offsetSeconds: number }> {
  return (await (await fetch(`${emu.url}/_emulator/clock`)).json()) as { now: number; offsetSeconds: number };
}

it("starts the clock the given number of seconds from real time and stamps objects with it", async () => {
  const realNow = Math.floor(Date.now() / 1000);
  const clock = await emulatorClock();
  expect(clock.offsetSeconds).toBe(-30 * DAY);
  expect(Math.abs(clock.now - (realNow - 30 * DAY))).toBeLessThanOrEqual(2);
  const customer = await stripe.customers.create({ metadata: { teamId: "team-offset" } });
  expect(Math.abs(customer.created - clock.now)).toBeLessThanOrEqual(2);
});

it("returns to real time on reset", async () => {
  const res = await fetch(`${emu.url}/_emulator/reset`, { method: "POST", body: "{}" });
  expect(res.status).toBe(200);
  const clock = await emulatorClock();
  expect(clock.offsetSeconds).toBe(0);
});
