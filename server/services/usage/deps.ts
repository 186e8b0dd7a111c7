// What the usage services need. Built once per process from the config file.
import { appConfig, type AppConfig } from "../../config/config";
import type { Db } from "../../db/client";
import { pricingFromConfig, type PricingTable } from "../../domain/pricing";
import type { Clock } from "../../lib/clock";

export interface UsageDeps {
  db: Db;
  clock: Clock;
  config: AppConfig;
  pricing: PricingTable;
}

let pricingCache: { config: AppConfig; pricing: PricingTable } | undefined;

export function usageDeps(db: Db, clock: Clock, config: AppConfig = appConfig()): UsageDeps {
  if (pricingCache?.config !== config) pricingCache = { config, pricing: pricingFromConfig(config) };
  return { db, clock, config, pricing: pricingCache.pricing };
}

/** A client may pin figures to an instant it saw earlier, never to one in the future. */
export function asOfInstant(clock: Clock, requested: Date | undefined): Date {
  const now = clock.now();
  return requested && requested.getTime() < now.getTime() ? requested : now;
}
