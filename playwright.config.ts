import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { e2eAppUrl, e2eEnv, e2ePorts } from "./e2e/support/env";

// Browsers cannot be downloaded on our machines; Debian's Chromium is used instead
// (CHROMIUM_PATH overrides where it lives).
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(`Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
}
const env = { ...process.env, ...e2eEnv } as Record<string, string>;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: e2eAppUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: "tsx e2e/support/oidc-server.ts",
      url: `http://localhost:${e2ePorts.oidc}/.well-known/openid-configuration`,
      env,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "tsx server/stripe/emulator/main.ts",
      url: `http://localhost:${e2ePorts.stripe}/_emulator/clock`,
      env,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "tsx e2e/support/prepare-db.ts && next build && next start -p " + e2ePorts.app,
      url: `${e2eAppUrl}/api/health`,
      env,
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: "pipe",
    },
    {
      command: "tsx worker/main.ts",
      url: `http://localhost:${e2ePorts.worker}/health`,
      env,
      reuseExistingServer: false,
      timeout: 240_000,
    },
  ],
});
