import { afterAll, describe, expect, it } from "vitest";
import { closeDb, createDb } from "../db/client";
import { DomainError } from "../domain/errors";
import { systemClock } from "../lib/clock";
import { trpcInternalErrorsTotal } from "../lib/metrics";
import { createCallerFactory, createTRPCRouter, publicProcedure } from "./init";

// Never connected: these procedures don't touch the database.
const db = createDb("postgresql://postgres@127.0.0.1:1/nowhere", 1);
afterAll(() => closeDb(db));

async function failures(path: string): Promise<number> {
  return (await trpcInternalErrorsTotal.get()).values.find((v) => v.labels.path === path)?.value ?? 0;
}

describe("tRPC error mapping", () => {
  const router = createTRPCRouter({
    crashes: publicProcedure.query((): string => {
      throw new Error("unexpected");
    }),
    refuses: publicProcedure.query((): string => {
      throw new DomainError("FORBIDDEN", "not yours");
    }),
  });
  const caller = createCallerFactory(router)({ db, clock: systemClock, user: null });

  it("counts unexpected failures per procedure, and not domain errors", async () => {
    const before = { crashes: await failures("crashes"), refuses: await failures("refuses") };
    await expect(caller.crashes()).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    await expect(caller.refuses()).rejects.toMatchObject({ code: "FORBIDDEN", message: "not yours" });
    expect(await failures("crashes")).toBe(before.crashes + 1);
    expect(await failures("refuses")).toBe(before.refuses);
  });
});
