// schema.prisma and prisma/migrations must describe the same database: build one database from
// the migrations and one straight from the schema, then compare their catalogs.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, destroyTestDatabase, type TestDatabase } from "../testing/db";
import { diffDatamodels, schemaPath } from "./schema-engine";

const catalogQueries = {
  columns: `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
             ORDER BY 1, 2`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes
             WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                   AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') AND contype IN ('p','u','f') ORDER BY 1, 2`,
  enums: `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`,
};

async function catalog(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(catalogQueries)) out[name] = (await client.query(sql)).rows;
    return out;
  } finally {
    await client.end();
  }
}

describe("schema.prisma vs migrations", () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map(destroyTestDatabase));
  });

  it("the migrated database has exactly the schema's tables, columns, indexes and constraints", async () => {
    const migrated = await createTestDatabase();
    dbs.push(migrated);
    const fromSchema = await createTestDatabase();
    dbs.push(fromSchema);
    // Empty the clone, then build it straight from schema.prisma.
    await fromSchema.pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    const sql = await diffDatamodels(fromSchema.url, null, await readFile(schemaPath, "utf8"));
    await fromSchema.pool.query(sql);

    const [a, b] = await Promise.all([catalog(migrated.url), catalog(fromSchema.url)]);
    expect(a.columns?.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  });
});
