// Shared Playwright fixtures: one-click demo sign-in and direct access to the e2e database (to
// check that what the page shows is what PostgreSQL holds).
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
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

/** The app's count of failed tRPC calls by procedure, from its Prometheus endpoint. */
async function internalErrors(request: APIRequestContext): Promise<Map<string, number>> {
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(200);
  const counts = new Map<string, number>();
  for (const match of (await res.text()).matchAll(/^usage_trpc_internal_errors_total\{path="([^"]*)"\} (\d+)$/gm)) {
    counts.set(match[1] ?? "", Number(match[2]));
  }
  return counts;
}

export const test = base.extend<{ signInAs: (email: string) => Promise<void>; noInternalErrors: void }, { db: pg.Pool }>({
  // A page can recover from a failed server call (the client refetches), so a journey may pass
  // while the server logs 500s; every test also checks that no tRPC call failed unexpectedly.
  noInternalErrors: [
    async ({ request }, use) => {
      const before = await internalErrors(request);
      await use();
      const after = await internalErrors(request);
      const failed = [...after].filter(([path, n]) => n > (before.get(path) ?? 0)).map(([path, n]) => `${path} ×${n - (before.get(path) ?? 0)}`);
      expect(failed, "tRPC calls that failed with an internal error during this test (see the app's log)").toEqual([]);
    },
    { auto: true },
  ],
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
