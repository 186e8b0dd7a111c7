// Upgrade through the browser: the owner clicks Upgrade, completes the Stripe emulator's hosted
// checkout page, comes back through the success page (fulfilment) and sees the paid plan.
import { expect, test } from "./fixtures";

test.describe("billing", () => {
  test("an owner upgrades through Checkout and lands on Billing showing the paid plan", async ({ page, signInAs, db }) => {
    // A team of its own, so the seeded teams other specs look at stay on their plans.
    const suffix = `${Date.now()}`;
    const teamId = `team-e2e-billing-${suffix}`;
    const email = `billing-owner-${suffix}@e2e.test`;
    await db.query(`INSERT INTO "Team" (id, name) VALUES ($1, 'E2E Billing')`, [teamId]);
    await db.query(
      `INSERT INTO "CostCenter" ("teamId", "spendingLimitCents", "freeSpendingLimitCents", "cycleAnchor", "billingCycleStart", "nextBillingTime")
       VALUES ($1, 50000, 50000, now(), now(), now() + interval '1 month')`,
      [teamId],
    );
    await db.query(`INSERT INTO "User" (id, email, name) VALUES ($1, $2, 'Billing Owner')`, [`u-${suffix}`, email]);
    await db.query(`INSERT INTO "Membership" ("teamId", "userId", role) VALUES ($1, $2, 'OWNER')`, [teamId, `u-${suffix}`]);

    await signInAs(email);
    await page.goto(`/teams/${teamId}/billing`);
    await expect(page.getByTestId("billing-plan")).toHaveText("Free plan");

    await page.getByLabel("Currency").selectOption("eur");
    await page.getByRole("button", { name: "Upgrade" }).click();
    // The emulator's hosted checkout page.
    await expect(page).toHaveURL(/\/checkout\/cs_/);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Subscribe" }).click();

    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/billing\\?upgraded=1$`));
    await expect(page.getByRole("status").filter({ hasText: "paid plan" })).toBeVisible();
    await expect(page.getByTestId("billing-plan")).toHaveText("Paid plan (EUR)");
    await expect(page.getByRole("button", { name: "Manage billing" })).toBeVisible();

    const { rows } = await db.query<{ billingStrategy: string; currency: string; balance: string }>(
      `SELECT "billingStrategy"::text AS "billingStrategy", currency, "balanceCents"::text AS balance FROM "CostCenter" WHERE "teamId" = $1`,
      [teamId],
    );
    expect(rows).toEqual([{ billingStrategy: "STRIPE", currency: "eur", balance: "0" }]);

    // The emulator's signed webhook reached the deployed app, was stored and processed by the worker.
    await expect
      .poll(async () => {
        const events = await db.query<{ processed: boolean }>(
          `SELECT "processedAt" IS NOT NULL AS processed FROM "StripeEvent"
           WHERE type = 'checkout.session.completed' AND payload->'data'->'object'->>'client_reference_id' = $1`,
          [teamId],
        );
        return events.rows;
      })
      .toEqual([{ processed: true }]);
  });
});
