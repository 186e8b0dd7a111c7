// Shared Playwright fixtures: one-click demo sign-in and direct access to the e2e database (to
// check that what the page shows is what PostgreSQL holds).
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "./support/env";

export async function signInAsDemoUser(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: new RegExp(`Sign in as ${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

/** Signs in through the local OpenID provider's login page (any login; the email is the login). */
export async function signInWithOidc(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Local OpenID" }).click();
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

export const test = base.extend<{ signInAs: (email: string) => Promise<void> }, { db: pg.Pool }>({
  db: [
    async ({}, use) => {
      const pool = new pg.Pool({ connectionString: e2eDatabaseUrl, max: 2 });
      await use(pool);
      await pool.end();
    },
    { scope: "worker" },
  ],
  signInAs: async ({ page }, use) => {
    await use((email) => signInAsDemoUser(page, email));
  },
});

export { expect };
