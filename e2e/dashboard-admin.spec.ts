import { expect, test } from "./fixtures";
import { ensureApiKey, createTeamWithUsage, signInAgainAs } from "./dashboard-support";

test("a platform admin grants credits and the owner's Usage page reflects them", async ({ page, signInAs, request, db }) => {
  await ensureApiKey(db);
  const teamId = `e2e-credit-${Date.now()}`;
  // One stopped g1-large run of one hour: 20.00 credits.
  await createTeamWithUsage(request, { teamId, name: "Credit Journey", ownerEmail: "alice@acme.test", userId: "u-alice", runs: [{ workspaceClass: "g1-large", hoursAgoStart: 2, hoursAgoStop: 1 }] });

  await signInAs("admin@example.com");
  await page.goto("/admin");
  await page.getByRole("searchbox").fill(teamId);
  await page.getByRole("link", { name: /Credit Journey/ }).click();
  await expect(page.getByTestId("admin-balance")).toHaveText("20.00");
  await page.getByLabel("Credits").fill("7.50");
  await page.getByLabel(/^Reason \(shown/).fill("Goodwill after the outage");
  await page.getByRole("button", { name: "Grant credits" }).click();
  await expect(page.getByTestId("grant-done")).toHaveText("Granted 7.50 credits.");
  await expect(page.getByTestId("admin-balance")).toHaveText("12.50");
  await expect(page.getByTestId("admin-ledger")).toContainText("Goodwill after the outage");
  await page.screenshot({ path: "e2e/artifacts/admin-team.png", fullPage: true });

  const { rows } = await db.query<{ balance: string }>(`SELECT "balanceCents"::text AS balance FROM "CostCenter" WHERE "teamId" = $1`, [teamId]);
  expect(rows[0]?.balance).toBe("1250");

  await page.goto("/admin");
  await page.screenshot({ path: "e2e/artifacts/admin-teams.png", fullPage: true });
  await page.goto("/admin/jobs");
  await expect(page.getByRole("heading", { name: "Job runs" })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/admin-jobs.png", fullPage: true });
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name (who uses it)").fill(`e2e key ${teamId}`);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveText(/^wup_/);
  await page.screenshot({ path: "e2e/artifacts/admin-api-keys.png", fullPage: true });

  await signInAgainAs(page, "alice@acme.test");
  await page.goto(`/teams/${teamId}/usage`);
  await expect(page.getByTestId("credits-used")).toHaveText("12.50");
});
