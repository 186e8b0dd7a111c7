import { z } from "zod";
import { appConfig } from "../../config/config";
import { logger } from "../../lib/logger";
import { billingOverview, openBillingPortal, startUpgradeCheckout, type BillingDeps } from "../../services/billing";
import { withStripeAvailability } from "../../services/billing/errors";
import { stripeClient } from "../../stripe/client";
import { createTRPCRouter, teamMemberProcedure, teamOwnerProcedure, type TrpcContext } from "../init";

function billingDeps(ctx: TrpcContext): BillingDeps {
  return { db: ctx.db, clock: ctx.clock, config: appConfig(), logger, stripe: stripeClient() };
}

/** Where Checkout and the portal send the browser back to. */
export function appUrl(): string {
  return process.env.APP_URL ?? process.env.AUTH_URL ?? "http://localhost:3000";
}

export const billingRouter = createTRPCRouter({
  /** Plan, payment status, cycle dates and invoices (every member sees the team's plan). */
  overview: teamMemberProcedure.query(({ ctx }) => billingOverview({ db: ctx.db, config: appConfig(), clock: ctx.clock }, ctx.teamId)),
  /** Starts Stripe Checkout for the paid plan; the browser goes to the returned URL. */
  upgrade: teamOwnerProcedure
    .input(z.object({ currency: z.enum(["usd", "eur"]) }))
    .mutation(({ ctx, input }) =>
      withStripeAvailability(() =>
        startUpgradeCheckout(billingDeps(ctx), { teamId: ctx.teamId, currency: input.currency, userId: ctx.user.id, appUrl: appUrl() }),
      ),
    ),
  /** Opens the Stripe customer portal (payment method, invoices, cancel). */
  manage: teamOwnerProcedure.mutation(({ ctx }) =>
    withStripeAvailability(() => openBillingPortal(billingDeps(ctx), { teamId: ctx.teamId, appUrl: appUrl() })),
  ),
});
