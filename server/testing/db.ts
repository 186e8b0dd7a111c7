// Per-test-file PostgreSQL databases cloned from the run's migrated template (see global-setup).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { dbOverPool, type Db } from "../db/client";
import { dropDatabase } from "../db/admin";

export interface TestDatabase {
  url: string;
  db: Db;
  pool: pg.Pool;
  /** The pool under `db`, held here so teardown can wait until its connections are closed. */
  dbPool: pg.Pool;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = new URL(inject("templateDatabaseUrl"));
  const templateName = template.pathname.slice(1);
  const url = new URL(template);
  url.pathname = `/usage_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(template), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${url.pathname.slice(1)}" TEMPLATE "${templateName}"`);
  } finally {
    await admin.end();
  }
  const dbPool = new pg.Pool({ connectionString: url.toString(), max: 5 });
  return {
    url: url.toString(),
    db: dbOverPool(dbPool, { ownsPool: false }),
    pool: new pg.Pool({ connectionString: url.toString(), max: 5 }),
    dbPool,
  };
}

/**
 * pg-pool's end() resolves once it has asked its clients to close, not once they have; dropping
 * the database (WITH FORCE) before then would kill a closing connection and surface as an
 * unhandled error. Wait for every client's `remove` event instead.
 */
async function closePool(pool: pg.Pool): Promise<void> {
  const open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    let removed = 0;
    if (open === 0) resolve();
    pool.on("remove", () => {
      removed += 1;
      if (removed >= open) resolve();
    });
  });
  await pool.end();
  await closed;
}

export async function destroyTestDatabase(t: TestDatabase): Promise<void> {
  await t.db.$disconnect();
  await Promise.all([closePool(t.dbPool), closePool(t.pool)]);
  await dropDatabase(t.url);
}

/** Registers beforeAll/afterAll hooks; the returned object is filled in before the first test. */
export function useTestDatabase(): TestDatabase {
  const holder = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(holder, await createTestDatabase());
  });
  afterAll(async () => {
    if (holder.url) await destroyTestDatabase(holder);
  });
  return holder;
}
