// Usage reporting to Stripe Billing Meters through an outbox (SPEC §3.6).
//
// What a report covers: for a cost center on the paid plan, Stripe must eventually have received
// every credit cent it used since the upgrade. Since the upgrade zeroed the balance and each
// finalized invoice took its credits off it, that amount is
//     balance + credits invoiced for the subscription
// and a report carries the difference to what was already reported for the subscription (drafts of
// running workspaces included: their growth is reported as it happens). Values are CREDIT CENTS.
//
// Each report's `identifier` is deterministic (`usage:<costCenterId>:<subscriptionId>:<epoch minute>`, ~80 characters):
// two replicas queueing at once insert one row; a resend after a lost response is deduplicated by
// Stripe (same identifier, same Idempotency-Key), so each report counts once in effect.
import type Stripe from "stripe";
import { idempotencyKey } from "../../stripe/client";
import type { BillingDeps } from "./deps";
import { toUnix } from "./deps";

/** Stripe accepts meter event timestamps up to 35 days in the past and 5 minutes in the future. */
const MAX_PAST_MS = 35 * 24 * 3600_000;
const PAST_MARGIN_MS = 3600_000;
/** A report failing this often needs a human (it stays FAILED and is logged). */
export const MAX_REPORT_ATTEMPTS = 50;

/** The report window: minutes since the epoch (compact: Stripe caps identifiers at 100 characters). */
function minuteOf(now: Date): string {
  return Math.floor(now.getTime() / 60_000).toString();
}

/** Queues one report per paid cost center with unreported usage; returns how many were queued. */
export async function queueUsageReports(deps: Pick<BillingDeps, "db" | "clock" | "config">): Promise<number> {
  const now = deps.clock.now();
  const window = minuteOf(now);
  const eventName = deps.config.raw.stripe.meterEventName;
  return deps.db.$executeRaw`
    WITH current_subscription AS (
      SELECT DISTINCT ON (c.id) c.id AS cost_center_id, c."balanceCents" AS balance, s.id AS subscription_id, s."stripeCustomerId" AS customer_id
      FROM "CostCenter" c
      JOIN "StripeSubscription" s ON s."teamId" = c."teamId"
        AND s."endedAt" IS NULL AND s.status IN ('active', 'trialing', 'past_due', 'unpaid')
      WHERE c."billingStrategy" = 'STRIPE'
      ORDER BY c.id, s."currentPeriodStart" DESC
    ), due AS (
      SELECT cs.*,
        cs.balance
        + COALESCE((SELECT -SUM(u."creditCents") FROM "StripeInvoice" i
                    JOIN "UsageEntry" u ON u."idempotencyKey" = 'invoice:' || i.id
                    WHERE i."subscriptionId" = cs.subscription_id), 0)
        - COALESCE((SELECT SUM(m.value) FROM "MeterReport" m
                    WHERE m."costCenterId" = cs.cost_center_id AND m."subscriptionId" = cs.subscription_id), 0) AS delta
      FROM current_subscription cs
    )
    INSERT INTO "MeterReport" ("costCenterId", "stripeCustomerId", "subscriptionId", identifier, "eventName", value, timestamp)
    SELECT cost_center_id, customer_id, subscription_id,
           'usage:' || cost_center_id || ':' || subscription_id || ':' || ${window}, ${eventName}, delta, ${now}
    FROM due WHERE delta > 0
    ON CONFLICT (identifier) DO NOTHING`;
}

export interface SendResult {
  sent: number;
  failed: number;
}

function isDuplicateIdentifier(error: unknown): boolean {
  if (!(error instanceof Error) || !("type" in error) || error.type !== "StripeInvalidRequestError") return false;
  const code = "code" in error ? error.code : undefined;
  return code === "resource_already_exists" || /identifier/i.test(error.message) && /already/i.test(error.message);
}

/** Sends pending and failed reports (oldest first); a failure leaves the report for the next run. */
export async function sendPendingMeterReports(deps: BillingDeps, limit = 500): Promise<SendResult> {
  const reports = await deps.db.meterReport.findMany({
    where: { status: { in: ["PENDING", "FAILED"] }, attempts: { lt: MAX_REPORT_ATTEMPTS } },
    orderBy: { id: "asc" },
    take: limit,
  });
  const result: SendResult = { sent: 0, failed: 0 };
  for (const report of reports) {
    const now = deps.clock.now();
    const earliest = now.getTime() - MAX_PAST_MS + PAST_MARGIN_MS;
    // A report that waited too long (Stripe down for weeks) is sent at the oldest time Stripe accepts.
    const timestamp = new Date(Math.min(Math.max(report.timestamp.getTime(), earliest), now.getTime()));
    const params: Stripe.Billing.MeterEventCreateParams = {
      event_name: report.eventName,
      identifier: report.identifier,
      timestamp: toUnix(timestamp),
      payload: { stripe_customer_id: report.stripeCustomerId, value: report.value.toString() },
    };
    try {
      try {
        await deps.stripe.billing.meterEvents.create(params, { idempotencyKey: idempotencyKey("meter_event.create", report.identifier) });
      } catch (error) {
        if (!isDuplicateIdentifier(error)) throw error;
      }
      await deps.db.meterReport.update({
        where: { id: report.id },
        data: { status: "SENT", sentAt: now, attempts: { increment: 1 }, lastError: null },
      });
      result.sent += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.db.meterReport.update({
        where: { id: report.id },
        data: { status: "FAILED", attempts: { increment: 1 }, lastError: message.slice(0, 2000) },
      });
      result.failed += 1;
      if (report.attempts + 1 >= MAX_REPORT_ATTEMPTS) deps.logger.error({ identifier: report.identifier }, "meter report keeps failing; giving up");
      else deps.logger.warn({ identifier: report.identifier, err: message }, "meter report failed; will retry");
    }
  }
  return result;
}
