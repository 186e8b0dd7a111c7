// The Prisma client over node-postgres. One per process (Next dev reloads modules, so it is kept
// on globalThis there). The pg pool under it is shared with the hot paths that run plain SQL on
// node-postgres (see ./sql.ts), so a process holds one set of connections.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma as PrismaNs } from "./generated/client";
import { databaseUrl } from "../config/env";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client";

// The pool rides on the client under a registry symbol rather than in a module-level WeakMap:
// Next bundles this module into several chunks, each with its own module state, while the client
// itself is shared through globalThis.
const POOL = Symbol.for("usage-portal.pg-pool");
type WithPool = { [POOL]?: pg.Pool };

/**
 * A Prisma client over `pool`. `ownsPool`: `$disconnect()` also ends the pool (else the caller
 * ends it, as the test harness does to wait for every connection to close).
 */
export function dbOverPool(pool: pg.Pool, { ownsPool }: { ownsPool: boolean }): Db {
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: ownsPool }) });
  Object.defineProperty(client, POOL, { value: pool, enumerable: false });
  return client;
}

/**
 * `connectionWaitMs`: waiting longer than this for a free connection fails the request (a 503
 * from the machine API) instead of queueing it forever.
 */
export function createDb(url = databaseUrl(), poolSize = 10, connectionWaitMs = 10_000): Db {
  return dbOverPool(new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: connectionWaitMs }), { ownsPool: true });
}

/**
 * Closes a client made by `createDb`: Prisma's side and the pool. `$disconnect()` alone leaves the
 * pool open when only plain SQL ever ran on it (Prisma ends it only once it has connected).
 */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
  const pool = poolOf(db);
  if (!pool.ending && !pool.ended) await pool.end();
}

/** The node-postgres pool under a client made by `createDb` or `dbOverPool`. */
export function poolOf(db: Db): pg.Pool {
  const pool = (db as WithPool)[POOL];
  if (!pool) throw new Error("this Prisma client was not made by createDb/dbOverPool, so it has no shared pg pool");
  return pool;
}

const globalForDb = globalThis as unknown as { usagePortalDb?: Db };

export function db(): Db {
  globalForDb.usagePortalDb ??= createDb();
  return globalForDb.usagePortalDb;
}

/** A Prisma interactive-transaction client; services that must join a caller's transaction take this. */
export type Tx = PrismaNs.TransactionClient;
/** Either the client or a transaction: for functions that work inside or outside one. */
export type DbOrTx = Db | Tx;
