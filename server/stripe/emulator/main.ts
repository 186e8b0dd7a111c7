// `npm run emulator`: the local Stripe emulator as its own process.
import { startEmulator } from "./index";

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? "12111");
const emulator = await startEmulator({
  port,
  webhookUrl: process.env.STRIPE_WEBHOOK_URL ?? "http://localhost:3000/api/stripe/webhook",
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_local_emulator_secret",
  // Unset: http://localhost:<the port actually bound>.
  publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL,
  log: process.env.STRIPE_EMULATOR_LOG === "1" ? (line) => console.log(`[stripe-emulator] ${line}`) : undefined,
  clockOffsetSeconds: Number(process.env.STRIPE_EMULATOR_CLOCK_OFFSET_SECONDS ?? "0") || 0,
});
console.log(`Stripe emulator listening on ${emulator.url}`);

let stopping = false;
function shutdown(): void {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
