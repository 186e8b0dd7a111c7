// One place for the end-to-end environment: ports, URLs and secrets of the app, worker, local
// OpenID provider and Stripe emulator that Playwright starts. Test-only values.
export const e2ePorts = { app: 3100, oidc: 3101, stripe: 3102, worker: 3103 } as const;
export const e2eAppUrl = `http://localhost:${e2ePorts.app}`;
export const e2eDatabaseUrl = process.env.E2E_DATABASE_URL ?? "postgresql://postgres@localhost:5432/usage_e2e";
export const e2eIngestApiKey = "e2e-ingest-key-0123456789";
export const e2eOidcClient = { id: "portal-e2e", secret: "portal-e2e-secret" };

export const e2eEnv: Record<string, string> = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: e2eDatabaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  QUEUE_PREFIX: "usage-e2e",
  USAGE_CONFIG: "usage.config.example.json",
  AUTH_URL: e2eAppUrl,
  AUTH_SECRET: "e2e-auth-secret-not-for-production-0123456789",
  APP_URL: e2eAppUrl,
  DEMO_MODE: "1",
  OIDC_ISSUER: `http://localhost:${e2ePorts.oidc}`,
  OIDC_CLIENT_ID: e2eOidcClient.id,
  OIDC_CLIENT_SECRET: e2eOidcClient.secret,
  OIDC_NAME: "Local OpenID",
  INGEST_API_KEY: e2eIngestApiKey,
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_API_BASE: `http://localhost:${e2ePorts.stripe}`,
  STRIPE_WEBHOOK_SECRET: "whsec_e2e_secret",
  STRIPE_EMULATOR_PORT: String(e2ePorts.stripe),
  STRIPE_WEBHOOK_URL: `${e2eAppUrl}/api/stripe/webhook`,
  WORKER_PORT: String(e2ePorts.worker),
  LOG_LEVEL: "warn",
};
