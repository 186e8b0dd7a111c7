import { expect, test } from "./fixtures";
import { ensureApiKey, createTeamWithUsage, spendingCheck } from "./dashboard-support";

test("an owner lowers the limit below usage: the spending check denies starts and the Usage page says so", async ({ page, signInAs, request, db }) => {
  await ensureApiKey(db);
  const teamId = `e2e-limit-${Date.now()}`;
  // One stopped g1-standard run of two hours: 20.00 credits.
  await createTeamWithUsage(request, { teamId, name: "Limit Journey", ownerEmail: "alice@acme.test", userId: "u-alice", runs: [{ workspaceClass: "g1-standard", hoursAgoStart: 3, hoursAgoStop: 1 }] });
  expect(await spendingCheck(request, teamId)).toMatchObject({ allowed: true, usedCredits: 20 });

  await signInAs("alice@acme.test");
  await page.goto(`/teams/${teamId}/limit`);
  await expect(page.getByRole("heading", { name: "What happens at the limit" }).or(page.getByText("What happens at the limit"))).toBeVisible();
  const input = page.getByLabel("New limit in credits");
  await input.fill("-3");
  await expect(page.getByText("The limit cannot be negative")).toBeVisible();
  await input.fill("15");
  await expect(page.getByTestId("below-usage-warning")).toBeVisible();
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByTestId("limit-saved")).toContainText("to 15.00 credits");
  await expect(page.getByTestId("current-limit")).toContainText("15.00");
  await expect(page.getByTestId("limit-history")).toContainText("Alice");
  await page.screenshot({ path: "e2e/artifacts/limit.png", fullPage: true });

  expect(await spendingCheck(request, teamId)).toMatchObject({ allowed: false, reason: "SPENDING_LIMIT_REACHED", usedCredits: 20, limitCredits: 15 });

  await page.goto(`/teams/${teamId}/usage`);
  await expect(page.getByTestId("start-denied")).toContainText("Spending limit reached");
  await expect(page.getByTestId("credits-used")).toHaveText("20.00");
  await expect(page.getByTestId("credits-limit")).toHaveText("15.00");
  await expect(page.getByTestId("limit-outlook")).toContainText("limit is reached");
});
