import { describe, expect, it } from "vitest";
import { decideSpending, type SpendingState } from "./decide";

const base: SpendingState = {
  status: "ACTIVE",
  pastDueSince: null,
  usedCents: 100n,
  limitCents: 500n,
  now: new Date("2026-03-10T12:00:00Z"),
  pastDueGraceHours: 72,
  stopWorkspacesAtLimit: false,
  stopWorkspacesGraceMinutes: 10,
};

describe("decideSpending", () => {
  it("allows below the limit and reports what is left", () => {
    expect(decideSpending(base)).toEqual({ allowed: true, remainingCents: 400n });
  });

  it("denies at exactly the limit, and above it with nothing remaining", () => {
    expect(decideSpending({ ...base, usedCents: 500n })).toMatchObject({ allowed: false, reason: "SPENDING_LIMIT_REACHED", remainingCents: 0n });
    expect(decideSpending({ ...base, usedCents: 900n })).toMatchObject({ allowed: false, reason: "SPENDING_LIMIT_REACHED", remainingCents: 0n });
  });

  it("adds the stop hint only for teams that opted in", () => {
    expect(decideSpending({ ...base, usedCents: 500n }).stopRunningWorkspacesAfterSeconds).toBeUndefined();
    expect(decideSpending({ ...base, usedCents: 500n, stopWorkspacesAtLimit: true }).stopRunningWorkspacesAfterSeconds).toBe(600);
  });

  it("denies a blocked team even with credits left", () => {
    expect(decideSpending({ ...base, status: "BLOCKED" })).toMatchObject({ allowed: false, reason: "BLOCKED", remainingCents: 400n });
  });

  it("allows a past-due team within the grace period and denies it after", () => {
    const since = new Date("2026-03-08T12:00:00Z");
    expect(decideSpending({ ...base, status: "PAST_DUE", pastDueSince: since })).toEqual({ allowed: true, remainingCents: 400n });
    const late = { ...base, status: "PAST_DUE" as const, pastDueSince: since, now: new Date("2026-03-11T12:00:00Z") };
    expect(decideSpending(late)).toMatchObject({ allowed: false, reason: "PAYMENT_PAST_DUE" });
  });

  it("reports BLOCKED before PAYMENT_PAST_DUE and the limit", () => {
    expect(decideSpending({ ...base, status: "BLOCKED", usedCents: 900n }).reason).toBe("BLOCKED");
    const overdueAtLimit = { ...base, status: "PAST_DUE" as const, pastDueSince: new Date("2026-01-01T00:00:00Z"), usedCents: 900n };
    expect(decideSpending(overdueAtLimit).reason).toBe("PAYMENT_PAST_DUE");
  });
});
