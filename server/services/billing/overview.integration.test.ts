// The Billing page's read model shows the same live usage as the Usage page and the spending check.
import { describe, expect, it } from "vitest";
import example from "../../../usage.config.example.json";
import { parseConfig } from "../../config/config";
import { pricingFromConfig } from "../../domain/pricing";
import { fixedClock } from "../../lib/clock";
import { logger } from "../../lib/logger";
import { useTestDatabase } from "../../testing/db";
import { openCostCenter, reconcileInstances } from "../ledger";
import { billingOverview } from "./overview";
import { prismaSql } from "../../db/sql";

describe("billing overview", () => {
  const t = useTestDatabase();
  const config = parseConfig(example);

  it("counts a running workspace's credits up to now, as the Usage page does", async () => {
    const start = new Date("2026-11-20T10:00:00Z");
    await t.db.team.create({ data: { id: "team-bill", name: "Bill" } });
    const cc = await openCostCenter(t.db, { teamId: "team-bill", now: new Date("2026-11-10T00:00:00Z"), spendingLimitCents: 50_000n });
    await t.db.workspaceInstance.create({
      data: { id: "bill-1", workspaceId: "w", teamId: "team-bill", costCenterId: cc.id, userId: "u", workspaceClass: "g1-large", startedAt: start },
    });
    // Reconciled 30 minutes in (a 10-credit draft), read 90 minutes in: 20 credits/hour × 1.5 h.
    await t.db.$transaction((tx) =>
      reconcileInstances(prismaSql(tx), ["bill-1"], { pricing: pricingFromConfig(config), clock: fixedClock("2026-11-20T10:30:00Z"), logger }),
    );
    expect((await t.db.costCenter.findUniqueOrThrow({ where: { id: cc.id } })).balanceCents).toBe(1000n);

    const overview = await billingOverview({ db: t.db, config, clock: fixedClock("2026-11-20T11:30:00Z") }, "team-bill");
    expect(overview.usedCents).toBe(3000n);
    expect(overview).toMatchObject({ plan: "FREE", status: "ACTIVE", spendingLimitCents: 50_000n, subscription: null, invoices: [] });
    expect(overview.cycleStart.toISOString()).toBe("2026-11-10T00:00:00.000Z");
    expect(overview.cycleEnd.toISOString()).toBe("2026-12-10T00:00:00.000Z");
  });
});
