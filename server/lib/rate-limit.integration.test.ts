import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit";

const prefix = `test:rate-limit:${randomBytes(4).toString("hex")}:`;
const fixedNow = () => Date.parse("2026-03-01T00:00:30Z");

describe("createRateLimiter", () => {
  const limiter = createRateLimiter("redis://127.0.0.1:6379", { prefix, now: fixedNow });
  const unreachable = createRateLimiter("redis://127.0.0.1:1", { prefix, now: fixedNow, commandTimeoutMs: 100 });
  afterAll(async () => {
    await limiter.close();
    await unreachable.close();
  });

  it("allows up to the limit per key and window, then says when to retry", async () => {
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.hit("k1", 3, 60));
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    const denied = decisions[3];
    expect(denied?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(denied?.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limiter.hit("k2", 3, 60)).allowed).toBe(true);
  });

  it("fails open when Redis cannot be reached", async () => {
    const decision = await unreachable.hit("k1", 1, 60);
    expect(decision).toEqual({ allowed: true, limit: 1, remaining: 1, retryAfterSeconds: 0, failedOpen: true });
    expect((await unreachable.hit("k1", 1, 60)).allowed).toBe(true);
    expect(await unreachable.ping()).toBe(false);
    expect(await limiter.ping()).toBe(true);
  });
});
