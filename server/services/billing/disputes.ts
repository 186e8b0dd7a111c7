// A disputed charge blocks the team (SPEC §3.5: BLOCKED denies new workspaces) and notifies its
// owners once per dispute. Only a platform admin lifts the block.
import { audit, idOf, type BillingDeps } from "./deps";
import { lockCostCenter, teamIdForCustomer } from "./subscriptions";

export type DisputeResult = { outcome: "blocked" | "already_blocked"; teamId: string; notificationCreated: boolean } | { outcome: "unknown_team"; disputeId: string };

export async function applyDispute(deps: BillingDeps, disputeId: string): Promise<DisputeResult> {
  const dispute = await deps.stripe.disputes.retrieve(disputeId, { expand: ["charge"] });
  const charge = typeof dispute.charge === "string" ? await deps.stripe.charges.retrieve(dispute.charge) : dispute.charge;
  const teamId = await teamIdForCustomer(deps, idOf(charge.customer), charge.metadata.teamId ?? null);
  if (!teamId) {
    deps.logger.warn({ disputeId }, "Stripe dispute of no known team; ignored");
    return { outcome: "unknown_team", disputeId };
  }
  return deps.db.$transaction(async (tx) => {
    const costCenter = await lockCostCenter(tx, teamId);
    const alreadyBlocked = costCenter.status === "BLOCKED";
    if (!alreadyBlocked) {
      await tx.costCenter.update({ where: { id: costCenter.id }, data: { status: "BLOCKED" } });
      await audit(tx, {
        action: "cost_center.status_changed",
        teamId,
        costCenterId: costCenter.id,
        targetType: "CostCenter",
        targetId: costCenter.id,
        before: { status: costCenter.status },
        after: { status: "BLOCKED", disputeId, chargeId: charge.id, reason: dispute.reason },
      });
    }
    const amount = `${(dispute.amount / 100).toFixed(2)} ${dispute.currency.toUpperCase()}`;
    const inserted = await tx.notification.createMany({
      data: [
        {
          teamId,
          kind: "billing.dispute",
          idempotencyKey: `dispute:${dispute.id}`,
          title: "Payment disputed: team blocked",
          body:
            `A payment of ${amount} was disputed (reason: ${dispute.reason}). New workspaces cannot start while the ` +
            "dispute is open. Contact support to resolve the dispute and have the block lifted.",
        },
      ],
      skipDuplicates: true,
    });
    return { outcome: alreadyBlocked ? ("already_blocked" as const) : ("blocked" as const), teamId, notificationCreated: inserted.count > 0 };
  });
}
