import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors";
import { logger as baseLogger } from "../lib/logger";
import { HttpError, isDatabaseUnavailable, toErrorResponse } from "./errors";

// The 500 case logs on purpose; keep the test output clean.
const logger = baseLogger.child({}, { level: "silent" });

describe("toErrorResponse", () => {
  it("maps domain errors to their status with the spec's shape", async () => {
    const res = toErrorResponse(new DomainError("UNPROCESSABLE", "bad team", [{ index: 0, field: "teamId", reason: "unknown" }]), logger);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: "UNPROCESSABLE", message: "bad team", details: [{ index: 0, field: "teamId", reason: "unknown" }] } });
  });

  it("keeps HTTP errors' headers", () => {
    const res = toErrorResponse(new HttpError(429, "RATE_LIMITED", "slow down", undefined, { "Retry-After": "7" }), logger);
    expect([res.status, res.headers.get("retry-after")]).toEqual([429, "7"]);
  });

  it("answers 503 with Retry-After when the database is unreachable, and hides other errors", async () => {
    const refused = Object.assign(new Error("DatabaseNotReachable"), { code: "P1001" });
    const res = toErrorResponse(refused, logger);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const internal = toErrorResponse(new Error("secret detail"), logger);
    expect(internal.status).toBe(500);
    expect(JSON.stringify(await internal.json())).not.toContain("secret detail");
  });

  it("recognises connection failures through cause chains", () => {
    expect(isDatabaseUnavailable({ meta: {}, cause: { code: "ECONNREFUSED" } })).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { cause: { originalCode: "57P01" } }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("duplicate key value"))).toBe(false);
  });
});
