import { expect, test } from "./fixtures";

test("the owner's main pages render with real figures; screenshots saved", async ({ page, signInAs }) => {
  await signInAs("grace@globex.test");
  await page.goto("/teams/team-globex/usage");
  await expect(page.getByTestId("credits-used")).toHaveText(/\d\.\d\d$/);
  await expect(page.getByTestId("usage-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("usage-row").filter({ visible: true }).first()).toBeVisible();
  await expect(page.getByTestId("breakdown-member")).toContainText("Grace");
  await page.screenshot({ path: "e2e/artifacts/usage-owner.png", fullPage: true });
  await page.goto("/teams/team-globex/members");
  await expect(page.getByTestId("member-row")).toHaveCount(4);
  await page.screenshot({ path: "e2e/artifacts/members.png", fullPage: true });
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByText("Nothing needs your attention")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/notifications.png", fullPage: true });
  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("button", { name: /Upgrade/ }).first()).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/billing-free.png", fullPage: true });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the Usage page fits the screen without horizontal scrolling", async ({ page, signInAs }) => {
    await signInAs("alice@acme.test");
    await page.goto("/teams/team-acme/usage");
    await expect(page.getByTestId("usage-row").filter({ visible: true }).first()).toBeVisible();
    await expect(page.getByTestId("usage-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await page.screenshot({ path: "e2e/artifacts/usage-phone.png", fullPage: true });
  });
});
