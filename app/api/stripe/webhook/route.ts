// Stripe webhooks: see server/stripe/webhook.ts (verify → store → enqueue → 2xx).
import { handleStripeWebhook } from "@/server/stripe/webhook";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleStripeWebhook(request);
}
