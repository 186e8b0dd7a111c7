// Plain parameterized SQL for the hot paths: statements that move many rows at once (ingest,
// ledger) and the reads every machine API request makes (API key, spending check). The same
// statement text runs on node-postgres directly (no per-parameter serialization round trip
// through Prisma's query engine, which for a 1,000-row batch costs more CPU than the statement)
// or inside a Prisma transaction (when a caller already holds one). Numbers come back as the driver gives them (int8 as bigint from Prisma, as a string from
// node-postgres): callers convert with Number()/BigInt().
import type pg from "pg";
import { poolOf, type Db, type DbOrTx } from "./client";

export interface Sql {
  query<R>(text: string, values: readonly unknown[]): Promise<R[]>;
}

/** Runs statements through Prisma (`db` or a Prisma transaction). */
export function prismaSql(db: DbOrTx): Sql {
  return { query: <R>(text: string, values: readonly unknown[]) => db.$queryRawUnsafe<R[]>(text, ...values) };
}

function driverSql(driver: pg.Pool | pg.PoolClient): Sql {
  return {
    query: async <R>(text: string, values: readonly unknown[]) => (await driver.query({ text, values: [...values] })).rows as R[],
  };
}

/** Single statements straight on `db`'s pool (each may run on a different connection). */
export function poolSql(db: Db): Sql {
  return driverSql(poolOf(db));
}

/**
 * One READ COMMITTED transaction on a connection of `db`'s pool: COMMIT when `work` resolves,
 * ROLLBACK when it throws (the error is re-thrown). A connection whose rollback failed is
 * discarded, not returned to the pool.
 */
export async function inTransaction<T>(db: Db, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  let unusable: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(driverSql(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      unusable = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(unusable);
  }
}
