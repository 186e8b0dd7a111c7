import { describe, expect, it } from "vitest";
import { isRetryableConflict } from ".";

describe("isRetryableConflict", () => {
  it("finds a deadlock in the shape the Prisma pg adapter reports it", () => {
    // As observed from $transaction with two crossing UPDATEs (P2010 wrapping the SQLSTATE).
    const adapterError = Object.assign(new Error("DriverAdapterError"), {
      cause: { originalCode: "40P01", originalMessage: "deadlock detected", kind: "TransactionWriteConflict" },
    });
    const error = Object.assign(new Error("Raw query failed"), { code: "P2010", meta: { driverAdapterError: adapterError } });
    expect(isRetryableConflict(error)).toBe(true);
    expect(isRetryableConflict({ code: "40001" })).toBe(true);
  });

  it("does not retry other failures", () => {
    expect(isRetryableConflict(Object.assign(new Error("x"), { code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } }))).toBe(false);
    expect(isRetryableConflict(new Error("boom"))).toBe(false);
    expect(isRetryableConflict(null)).toBe(false);
  });
});
