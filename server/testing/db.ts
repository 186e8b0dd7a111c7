// Per-test-file PostgreSQL databases cloned from the run's migrated template (see global-setup).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "../db/client";
import { dropDatabase } from "../db/admin";

export interface TestDatabase {
  url: string;
  db: Db;
  pool: pg.Pool;
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
  return { url: url.toString(), db: createDb(url.toString(), 5), pool: new pg.Pool({ connectionString: url.toString(), max: 5 }) };
}

export async function destroyTestDatabase(t: TestDatabase): Promise<void> {
  await t.db.$disconnect();
  await t.pool.end();
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
