import { createTeamWithUsage, ensureApiKey } from "./dashboard-support";
import { expect, signInWithOidc, test } from "./fixtures";
import { formatCredits } from "../server/domain/money";

test.describe("sign-in", () => {
  test("a demo owner signs in with one click and sees the team's limit as the database holds it", async ({ page, signInAs, db }) => {
    await page.goto("/signin");
    // One button per configured identity provider; demo accounts are listed apart, not as a provider.
    await expect(page.getByRole("button", { name: /^Continue with/ })).toHaveText(["Continue with Local OpenID"]);
    await signInAs("alice@acme.test");
    await expect(page).toHaveURL(/\/teams\/team-acme\/usage$/);
    const { rows } = await db.query<{ balance: string; limit: string }>(
      `SELECT "balanceCents"::text AS balance, "spendingLimitCents"::text AS limit FROM "CostCenter" WHERE "teamId" = 'team-acme'`,
    );
    const row = rows[0];
    expect(row).toBeDefined();
    await expect(page.getByTestId("credits-limit")).toHaveText(formatCredits(BigInt(row?.limit ?? "-1")));
    // Acme has workspaces running, so the page's figure is the ledger balance plus their growth since
    // the last reconciliation: never less than what the ledger holds.
    const shown = BigInt(((await page.getByTestId("credits-used").textContent()) ?? "").replaceAll(/[,.]/g, ""));
    expect(shown).toBeGreaterThanOrEqual(BigInt(row?.balance ?? "0"));
  });

  test("an owner created through the API signs in through the OpenID provider and sees exactly the usage reported", async ({ page, request, db }) => {
    const stamp = Date.now();
    const teamId = `e2e-signin-${stamp}`;
    const email = `owner-${stamp}@oidc.test`;
    await ensureApiKey(db);
    // 90 minutes of g1-large (20 credits/h) and 30 minutes of g1-small (5 credits/h): 32.50 credits.
    await createTeamWithUsage(request, {
      teamId,
      name: "Sign-in Check",
      ownerEmail: email,
      userId: `platform-${stamp}`,
      runs: [
        { workspaceClass: "g1-large", hoursAgoStart: 3, hoursAgoStop: 1.5 },
        { workspaceClass: "g1-small", hoursAgoStart: 1, hoursAgoStop: 0.5 },
      ],
    });
    await signInWithOidc(page, email);
    await expect(page).toHaveURL(new RegExp(`/teams/${teamId}/usage$`));
    await expect(page.getByTestId("signed-in-as")).toHaveText(email);
    await expect(page.getByTestId("credits-used")).toHaveText("32.50");
    const { rows } = await db.query<{ balance: string }>(`SELECT "balanceCents"::text AS balance FROM "CostCenter" WHERE "teamId" = $1`, [teamId]);
    expect(rows).toEqual([{ balance: "3250" }]);
  });

  test("a new user signs in through the OpenID provider and is created on first sign-in", async ({ page, db }) => {
    const email = `oidc-${Date.now()}@oidc.test`;
    await signInWithOidc(page, email);
    // Not a member of any team yet: the portal says so and offers a way out.
    await expect(page.getByRole("heading", { name: "You are not in a team yet" })).toBeVisible();
    const { rows } = await db.query<{ email: string }>(`SELECT email FROM "User" WHERE email = $1`, [email]);
    expect(rows).toEqual([{ email }]);
  });
});
