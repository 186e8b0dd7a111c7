import { expect, test } from "./fixtures";

test("a member sees only their own usage and no limit control", async ({ page, signInAs, db }) => {
  await signInAs("bob@acme.test");
  await page.goto("/teams/team-acme/usage");
  await expect(page.getByText("Your credits this cycle")).toBeVisible();
  await expect(page.getByTestId("credits-limit")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Change limit" })).toHaveCount(0);
  await expect(page.getByTestId("breakdown-member")).toHaveCount(0);

  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "UsageEntry" e JOIN "CostCenter" c ON c.id = e."costCenterId"
     WHERE c."teamId" = 'team-acme' AND e.kind = 'WORKSPACE' AND e."userId" = 'u-bob'
       AND e."effectiveAt" >= c."billingCycleStart" AND e."effectiveAt" < c."nextBillingTime"`,
  );
  await expect(page.getByTestId("range-entries")).toHaveText(Number(rows[0]?.n ?? "0").toLocaleString("en-US"));
  // The table has no member column for members, and every run in it is Bob's (checked by the count above).
  await expect(page.getByRole("columnheader", { name: "Member" })).toHaveCount(0);
  await page.screenshot({ path: "e2e/artifacts/usage-member.png", fullPage: true });

  await page.goto("/teams/team-acme/limit");
  await expect(page.getByTestId("owner-only-note")).toBeVisible();
  await expect(page.getByLabel("New limit in credits")).toHaveCount(0);

  await page.goto("/teams/team-acme/members");
  await expect(page.getByTestId("member-row")).toHaveCount(4);
  await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);
});
