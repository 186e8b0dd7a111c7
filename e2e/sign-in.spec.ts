import { e2eDatabaseUrl } from "./support/env";
import { expect, test } from "./fixtures";
import { formatCredits } from "../server/domain/money";

test.describe("sign-in", () => {
  test("a demo owner sees the credits the database holds for the team", async ({ page, signInAs, db }) => {
    await signInAs("alice@acme.test");
    await expect(page).toHaveURL(/\/teams\/team-acme\/usage$/);
    const { rows } = await db.query<{ balance: string; limit: string }>(
      `SELECT "balanceCents"::text AS balance, "spendingLimitCents"::text AS limit FROM "CostCenter" WHERE "teamId" = 'team-acme'`,
    );
    const row = rows[0];
    expect(row, `cost center of team-acme in ${e2eDatabaseUrl}`).toBeDefined();
    expect(BigInt(row?.balance ?? "0")).toBeGreaterThan(0n);
    await expect(page.getByTestId("credits-used")).toHaveText(formatCredits(BigInt(row?.balance ?? "0")));
    await expect(page.getByTestId("credits-limit")).toHaveText(formatCredits(BigInt(row?.limit ?? "0")));
  });

  test("a new user signs in through the OpenID provider and is created on first sign-in", async ({ page, db }) => {
    const email = `oidc-${Date.now()}@oidc.test`;
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Local OpenID" }).click();
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill("any-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    // Not a member of any team yet: the portal says so and offers a way out.
    await expect(page.getByRole("heading", { name: "You are not in a team yet" })).toBeVisible();
    const { rows } = await db.query<{ email: string }>(`SELECT email FROM "User" WHERE email = $1`, [email]);
    expect(rows).toEqual([{ email }]);
  });

  test("an OpenID user whose email was made an owner lands on the team's usage", async ({ page, db }) => {
    const email = `owner-${Date.now()}@oidc.test`;
    const userId = `u-oidc-${Date.now()}`;
    await db.query(`INSERT INTO "User" (id, email, name) VALUES ($1, $2, 'OIDC Owner')`, [userId, email]);
    await db.query(`INSERT INTO "Membership" ("teamId", "userId", role) VALUES ('team-globex', $1, 'OWNER')`, [userId]);
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue with Local OpenID" }).click();
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill("any-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/teams\/team-globex\/usage$/);
    await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  });
});
