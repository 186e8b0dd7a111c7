import pg from "pg";
import { describe, expect, it, vi } from "vitest";

describe("poolOf", () => {
  it("finds the pool of a client made by another copy of this module (Next bundles it into several chunks)", async () => {
    const pool = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/nowhere", max: 1 });
    const first = await import("./client");
    const db = first.dbOverPool(pool, { ownsPool: false });
    vi.resetModules();
    const second = await import("./client");
    expect(second).not.toBe(first);
    expect(second.poolOf(db)).toBe(pool);
    await pool.end();
  });

  it("names the problem for a client that has no shared pool", async () => {
    const { poolOf } = await import("./client");
    const { PrismaClient } = await import("./generated/client");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const bare = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://postgres@127.0.0.1:1/nowhere" }) });
    expect(() => poolOf(bare)).toThrow(/not made by createDb\/dbOverPool/);
  });
});
