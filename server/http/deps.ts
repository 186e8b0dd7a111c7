// What the machine API's route handlers run against. In the app these are the process-wide
// defaults (DATABASE_URL, REDIS_URL, the config file, the system clock, INGEST_API_KEY). Tests and
// the HTTP harness replace them with `setMachineApiDeps(...)` before sending requests, e.g. to
// point at a per-file test database, a fixed clock, a low rate limit or an unreachable PostgreSQL.
import { appConfig, type AppConfig } from "../config/config";
import { redisUrl } from "../config/env";
import { db, type Db } from "../db/client";
import { pricingFromConfig, type PricingTable } from "../domain/pricing";
import { systemClock, type Clock } from "../lib/clock";
import { logger, type Logger } from "../lib/logger";
import { createRateLimiter, type RateLimiter } from "../lib/rate-limit";

export interface MachineApiDeps {
  db: Db;
  config: AppConfig;
  pricing: PricingTable;
  clock: Clock;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** INGEST_API_KEY: created as an all-scopes key on the first request (idempotent). */
  bootstrapApiKey: string | undefined;
}

const holder = globalThis as unknown as { machineApiDeps?: MachineApiDeps; machineApiRateLimiter?: RateLimiter };

function defaults(): MachineApiDeps {
  const config = appConfig();
  holder.machineApiRateLimiter ??= createRateLimiter(redisUrl(), { prefix: "rl:api:" });
  return {
    db: db(),
    config,
    pricing: pricingFromConfig(config),
    clock: systemClock,
    logger,
    rateLimiter: holder.machineApiRateLimiter,
    bootstrapApiKey: process.env.INGEST_API_KEY || undefined,
  };
}

export function machineApiDeps(): MachineApiDeps {
  holder.machineApiDeps ??= defaults();
  return holder.machineApiDeps;
}

/** Replaces the deps (tests, harness); `undefined` goes back to the defaults on next use. */
export function setMachineApiDeps(deps: MachineApiDeps | undefined): void {
  holder.machineApiDeps = deps;
}
