import { afterAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../http/errors";
import { useTestDatabase } from "../testing/db";
import { closeDb, createDb } from "./client";
import { inTransaction, poolSql } from "./sql";

const t = useTestDatabase();

describe("plain SQL on the shared pool", () => {
  const dbs: ReturnType<typeof createDb>[] = [];
  afterAll(() => Promise.all(dbs.map((d) => closeDb(d))));

  it("commits a transaction's work, and rolls all of it back when the work throws", async () => {
    const db = createDb(t.url, 2);
    dbs.push(db);
    await poolSql(db).query(`CREATE TABLE sql_test (n int)`, []);
    await inTransaction(db, (sql) => sql.query(`INSERT INTO sql_test VALUES (1), (2)`, []));
    await expect(
      inTransaction(db, async (sql) => {
        await sql.query(`INSERT INTO sql_test VALUES (3)`, []);
        throw new Error("later step failed");
      }),
    ).rejects.toThrow("later step failed");
    expect(await poolSql(db).query<{ n: number }>(`SELECT n FROM sql_test ORDER BY n`, [])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("gives up waiting for a free connection after the configured time, as an 'unavailable' error", async () => {
    const db = createDb(t.url, 1, 200);
    dbs.push(db);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = inTransaction(db, () => held);
    const started = performance.now();
    const waited = await poolSql(db).query(`SELECT 1`, []).catch((error: unknown) => error);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(waited).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(waited)).toBe(true);
    release();
    await holding;
    expect(await poolSql(db).query(`SELECT 1 AS one`, [])).toEqual([{ one: 1 }]);
  });
});
