// The Prisma client over node-postgres. One per process (Next dev reloads modules, so it is kept
// on globalThis there).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { databaseUrl } from "../config/env";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

export function createDb(url = databaseUrl(), poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
}

const globalForDb = globalThis as unknown as { usagePortalDb?: Db };

export function db(): Db {
  globalForDb.usagePortalDb ??= createDb();
  return globalForDb.usagePortalDb;
}

import type { Prisma as PrismaNs } from "./generated/client";
/** A Prisma interactive-transaction client; services that must join a caller's transaction take this. */
export type Tx = PrismaNs.TransactionClient;
/** Either the client or a transaction: for functions that work inside or outside one. */
export type DbOrTx = Db | Tx;
