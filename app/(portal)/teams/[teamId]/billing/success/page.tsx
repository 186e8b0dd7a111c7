// Stripe Checkout's success_url. Runs the same idempotent fulfilment as the
// `checkout.session.completed` webhook, so the team sees its paid plan whichever arrives first.
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { appConfig } from "@/server/config/config";
import { db } from "@/server/db/client";
import { systemClock } from "@/server/lib/clock";
import { logger } from "@/server/lib/logger";
import { fulfilCheckout } from "@/server/services/billing";
import { isStripeUnavailable } from "@/server/services/billing/errors";
import { stripeClient } from "@/server/stripe/client";
import { sessionUser } from "@/server/trpc/context";

export const metadata = { title: "Confirming your upgrade" };
export const dynamic = "force-dynamic";

export default async function CheckoutSuccessPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamId: string }>;
  searchParams: Promise<{ session_id?: string }>;
}) {
  const { teamId } = await params;
  const { session_id: sessionId } = await searchParams;
  const user = await sessionUser();
  if (!user) redirect("/signin");
  const membership = await db().membership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } } });
  if (!membership) notFound();
  const billingUrl = `/teams/${encodeURIComponent(teamId)}/billing`;
  if (!sessionId || !/^cs_[A-Za-z0-9_]+$/.test(sessionId)) redirect(billingUrl);

  let status: "fulfilled" | "pending" | "not_ours" | "unavailable";
  try {
    const result = await fulfilCheckout({ db: db(), stripe: stripeClient(), clock: systemClock, config: appConfig(), logger }, sessionId);
    // A session of another team proves nothing about this one.
    status = result.teamId === teamId ? result.status : "not_ours";
  } catch (error) {
    if (!isStripeUnavailable(error)) throw error;
    status = "unavailable";
  }
  if (status === "fulfilled") redirect(`${billingUrl}?upgraded=1`);
  return (
    <section className="mt-4 max-w-xl rounded-lg border border-slate-200 bg-white p-5" role="status">
      <h1 className="text-xl font-semibold">
        {status === "pending" ? "Confirming your payment…" : status === "unavailable" ? "We could not reach Stripe" : "This checkout is not for this team"}
      </h1>
      <p className="mt-2 text-slate-600">
        {status === "pending"
          ? "Stripe has not confirmed the subscription yet. It usually takes a few seconds; reload this page or check Billing shortly."
          : status === "unavailable"
            ? "Your payment is safe. Reload this page in a moment; the paid plan is also applied as soon as Stripe notifies us."
            : "Open Billing to see your team's plan."}
      </p>
      <Link href={billingUrl} className="mt-4 inline-block text-indigo-700 underline">
        Go to Billing
      </Link>
    </section>
  );
}
