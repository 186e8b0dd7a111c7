import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../domain/errors";
import { fixedClock } from "../../lib/clock";
import { openCostCenter } from "../ledger";
import { changeSpendingLimit, spendingLimitHistory } from "../limits";
import { adminLedger, grantCredits, setTeamBlocked } from "../admin";
import { useTestDatabase } from "../../testing/db";
import { acceptInvitation, changeMemberRole, inviteMember, listMembers, previewInvitation, removeMember, revokeInvitation } from ".";

const clock = fixedClock("2026-11-20T12:00:00Z");

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe("spending limits, members and admin actions", () => {
  const t = useTestDatabase();

  beforeAll(async () => {
    await t.db.user.createMany({
      data: [
        { id: "u-owner", email: "owner@m.test", name: "Olive Owner" },
        { id: "u-two", email: "two@m.test", name: "Tom Two" },
        { id: "u-mem", email: "mem@m.test", name: "Mia Member" },
        { id: "u-new", email: "new@m.test", name: "Ned New" },
        { id: "u-admin", email: "admin@m.test", name: "Ada Admin", isPlatformAdmin: true },
      ],
    });
    await t.db.team.createMany({ data: [{ id: "t-limit", name: "Limits" }, { id: "t-own", name: "Owners" }, { id: "t-two", name: "Two owners" }] });
    await t.db.membership.createMany({
      data: [
        { teamId: "t-limit", userId: "u-owner", role: "OWNER" },
        { teamId: "t-own", userId: "u-owner", role: "OWNER" },
        { teamId: "t-own", userId: "u-mem", role: "MEMBER" },
        { teamId: "t-two", userId: "u-owner", role: "OWNER" },
        { teamId: "t-two", userId: "u-two", role: "OWNER" },
      ],
    });
    await openCostCenter(t.db, { teamId: "t-limit", now: new Date("2026-11-01T00:00:00Z"), spendingLimitCents: 50_000n });
  });

  it("changes the limit, keeps who/when/old → new, and ignores a no-op", async () => {
    expect(await changeSpendingLimit({ db: t.db, clock }, { teamId: "t-limit", actorId: "u-owner", credits: "1,250.50" })).toEqual({
      changed: true,
      beforeCents: 50_000n,
      afterCents: 125_050n,
    });
    expect(await changeSpendingLimit({ db: t.db, clock }, { teamId: "t-limit", actorId: "u-owner", credits: "1250.5" })).toMatchObject({ changed: false });
    await changeSpendingLimit({ db: t.db, clock: fixedClock("2026-11-20T13:00:00Z") }, { teamId: "t-limit", actorId: "u-owner", credits: "0" });
    const cc = await t.db.costCenter.findUniqueOrThrow({ where: { teamId: "t-limit" } });
    expect([cc.spendingLimitCents, cc.freeSpendingLimitCents]).toEqual([0n, 0n]);
    const history = await spendingLimitHistory(t.db, "t-limit");
    expect(history.map((h) => [h.at.toISOString(), h.actorName, h.beforeCents, h.afterCents])).toEqual([
      ["2026-11-20T13:00:00.000Z", "Olive Owner", 125_050n, 0n],
      ["2026-11-20T12:00:00.000Z", "Olive Owner", 50_000n, 125_050n],
    ]);
  });

  it("rejects negative, malformed and absurd limits with a clear message", async () => {
    for (const credits of ["-5", "12.345", "lots", "10000000.01"]) {
      const err = await changeSpendingLimit({ db: t.db, clock }, { teamId: "t-limit", actorId: "u-owner", credits }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err instanceof DomainError && err.code).toBe("INVALID_INPUT");
    }
    expect(await codeOf(changeSpendingLimit({ db: t.db, clock }, { teamId: "t-none", actorId: "u-owner", credits: "5" }))).toBe("NOT_FOUND");
  });

  it("never removes or demotes the last owner", async () => {
    expect(await codeOf(removeMember({ db: t.db }, { teamId: "t-own", actorId: "u-owner", userId: "u-owner" }))).toBe("CONFLICT");
    expect(await codeOf(changeMemberRole({ db: t.db }, { teamId: "t-own", actorId: "u-owner", userId: "u-owner", role: "MEMBER" }))).toBe("CONFLICT");
    await changeMemberRole({ db: t.db }, { teamId: "t-own", actorId: "u-owner", userId: "u-mem", role: "OWNER" });
    await changeMemberRole({ db: t.db }, { teamId: "t-own", actorId: "u-mem", userId: "u-owner", role: "MEMBER" });
    const { members } = await listMembers(t.db, "t-own", clock.now());
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      ["u-mem", "OWNER"],
      ["u-owner", "MEMBER"],
    ]);
    const audit = await t.db.auditLog.findMany({ where: { teamId: "t-own", action: "membership.role_changed" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.actorId, a.before, a.after])).toEqual([
      ["u-owner", { role: "MEMBER" }, { role: "OWNER" }],
      ["u-mem", { role: "OWNER" }, { role: "MEMBER" }],
    ]);
  });

  it("lets only one of two owners demoting each other at once succeed", async () => {
    const results = await Promise.allSettled([
      changeMemberRole({ db: t.db }, { teamId: "t-two", actorId: "u-owner", userId: "u-two", role: "MEMBER" }),
      removeMember({ db: t.db }, { teamId: "t-two", actorId: "u-two", userId: "u-owner" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = await t.db.membership.count({ where: { teamId: "t-two", role: "OWNER" } });
    expect(owners).toBe(1);
  });

  it("invites by email with a one-time link that only that account can accept", async () => {
    const invite = await inviteMember({ db: t.db, clock }, { teamId: "t-own", actorId: "u-mem", email: " New@M.test ", role: "MEMBER" });
    expect(invite.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{32}$/);
    const token = invite.path.split("/").at(-1) ?? "";
    const stored = await t.db.invitation.findUniqueOrThrow({ where: { id: invite.invitationId } });
    expect(stored.tokenHash).not.toContain(token);
    expect(await previewInvitation(t.db, token, clock.now())).toMatchObject({ teamName: "Owners", email: "new@m.test", state: "PENDING" });
    expect(await codeOf(acceptInvitation({ db: t.db, clock }, { token, user: { id: "u-two", email: "two@m.test" } }))).toBe("FORBIDDEN");
    expect(await acceptInvitation({ db: t.db, clock }, { token, user: { id: "u-new", email: "new@m.test" } })).toEqual({ teamId: "t-own" });
    expect(await t.db.membership.findUnique({ where: { teamId_userId: { teamId: "t-own", userId: "u-new" } } })).toMatchObject({ role: "MEMBER" });
    expect(await codeOf(inviteMember({ db: t.db, clock }, { teamId: "t-own", actorId: "u-mem", email: "new@m.test", role: "MEMBER" }))).toBe("CONFLICT");
    const later = await inviteMember({ db: t.db, clock }, { teamId: "t-own", actorId: "u-mem", email: "someone@m.test", role: "OWNER" });
    await revokeInvitation({ db: t.db, clock }, { teamId: "t-own", actorId: "u-mem", invitationId: later.invitationId });
    expect(await codeOf(acceptInvitation({ db: t.db, clock }, { token: later.path.split("/").at(-1) ?? "", user: { id: "u-x", email: "someone@m.test" } }))).toBe(
      "CONFLICT",
    );
    expect((await listMembers(t.db, "t-own", clock.now())).invitations).toEqual([]);
  });

  it("grants credits once per request id and blocks/unblocks with an audit trail", async () => {
    const before = await t.db.costCenter.findUniqueOrThrow({ where: { teamId: "t-limit" } });
    const args = { teamId: "t-limit", credits: "25.50", reason: "Outage on Nov 18", actorId: "u-admin", requestId: "req-12345678" };
    expect(await grantCredits({ db: t.db, clock }, args)).toEqual({ created: true, creditCents: 2_550n });
    expect(await grantCredits({ db: t.db, clock }, args)).toEqual({ created: false, creditCents: 2_550n });
    const after = await t.db.costCenter.findUniqueOrThrow({ where: { teamId: "t-limit" } });
    expect(after.balanceCents - before.balanceCents).toBe(-2_550n);
    const ledger = await adminLedger(t.db, { teamId: "t-limit", kind: "CREDIT_NOTE", limit: 10 });
    expect(ledger.rows.map((r) => [r.creditCents, r.description, r.createdByName])).toEqual([[-2_550n, "Outage on Nov 18", "Ada Admin"]]);

    expect(await setTeamBlocked({ db: t.db, clock }, { teamId: "t-limit", blocked: true, reason: "dispute", actorId: "u-admin" })).toEqual({ status: "BLOCKED", changed: true });
    expect(await setTeamBlocked({ db: t.db, clock }, { teamId: "t-limit", blocked: false, reason: "resolved", actorId: "u-admin" })).toEqual({ status: "ACTIVE", changed: true });
    const audit = await t.db.auditLog.findMany({ where: { teamId: "t-limit", action: "cost_center.status_changed" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [{ status: "ACTIVE" }, { status: "BLOCKED", reason: "dispute" }],
      [{ status: "BLOCKED" }, { status: "ACTIVE", reason: "resolved" }],
    ]);
  });
});
