// Who may call what (SPEC §7): every tRPC procedure is called as each kind of caller and must be
// allowed or denied exactly as the table says. A procedure missing from the table fails the test,
// so a new procedure cannot ship without a decision about who may call it.
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../lib/clock";
import { openCostCenter } from "../services/ledger";
import { useTestDatabase } from "../testing/db";
import { createCallerFactory, type SessionUser, type TrpcContext } from "./init";
import { appRouter } from "./routers/_app";

type Caller = "anonymous" | "otherTeam" | "member" | "owner" | "admin";
const CALLERS: Caller[] = ["anonymous", "otherTeam", "member", "owner", "admin"];

const SIGNED_IN: Caller[] = ["otherTeam", "member", "owner", "admin"];
const TEAM_MEMBER: Caller[] = ["member", "owner", "admin"];
const TEAM_OWNER: Caller[] = ["owner"];
const ADMIN: Caller[] = ["admin"];

const TEAM = "team-matrix";
const range = { kind: "cycle", offset: 0 } as const;
const token = "not-a-real-invitation-token";

/** Every procedure: who may call it, and an input that passes the role check without side effects that matter. */
const matrix: Record<string, { allowed: Caller[]; input?: unknown }> = {
  "teams.mine": { allowed: SIGNED_IN },

  "usage.summary": { allowed: TEAM_MEMBER, input: { teamId: TEAM } },
  "usage.series": { allowed: TEAM_MEMBER, input: { teamId: TEAM, range } },
  "usage.breakdown": { allowed: TEAM_MEMBER, input: { teamId: TEAM, range } },
  "usage.totals": { allowed: TEAM_MEMBER, input: { teamId: TEAM, range } },
  "usage.entries": { allowed: TEAM_MEMBER, input: { teamId: TEAM, range } },

  "limits.get": { allowed: TEAM_MEMBER, input: { teamId: TEAM } },
  "limits.history": { allowed: TEAM_OWNER, input: { teamId: TEAM } },
  "limits.update": { allowed: TEAM_OWNER, input: { teamId: TEAM, credits: "750" } },

  "members.list": { allowed: TEAM_MEMBER, input: { teamId: TEAM } },
  "members.invite": { allowed: TEAM_OWNER, input: { teamId: TEAM, email: "new.person@matrix.test", role: "MEMBER" } },
  "members.revokeInvitation": { allowed: TEAM_OWNER, input: { teamId: TEAM, invitationId: "no-such-invitation" } },
  "members.changeRole": { allowed: TEAM_OWNER, input: { teamId: TEAM, userId: "u-nobody", role: "OWNER" } },
  "members.remove": { allowed: TEAM_OWNER, input: { teamId: TEAM, userId: "u-nobody" } },
  "members.invitation": { allowed: SIGNED_IN, input: { token } },
  "members.accept": { allowed: SIGNED_IN, input: { token } },

  "billing.overview": { allowed: TEAM_MEMBER, input: { teamId: TEAM } },
  // No Stripe runs here: an allowed owner gets UNAVAILABLE from the service, never a denial.
  "billing.upgrade": { allowed: TEAM_OWNER, input: { teamId: TEAM, currency: "usd" } },
  "billing.manage": { allowed: TEAM_OWNER, input: { teamId: TEAM } },

  "notifications.list": { allowed: TEAM_OWNER, input: { teamId: TEAM } },

  "admin.teams": { allowed: ADMIN, input: { query: "" } },
  "admin.team": { allowed: ADMIN, input: { teamId: TEAM } },
  "admin.ledger": { allowed: ADMIN, input: { teamId: TEAM } },
  "admin.grantCredits": { allowed: ADMIN, input: { teamId: TEAM, credits: "1", reason: "matrix", requestId: "matrix-request-1" } },
  "admin.setBlocked": { allowed: ADMIN, input: { teamId: TEAM, blocked: false, reason: "matrix" } },
  "admin.jobRuns": { allowed: ADMIN, input: {} },
  "admin.jobNames": { allowed: ADMIN },
  "admin.apiKeys": { allowed: ADMIN },
  "admin.createApiKey": { allowed: ADMIN, input: { name: "matrix", scopes: ["usage:read"] } },
  "admin.revokeApiKey": { allowed: ADMIN, input: { id: "no-such-key" } },
};

const users: Record<Exclude<Caller, "anonymous">, SessionUser> = {
  otherTeam: { id: "u-other", email: "other@matrix.test", name: "Other", isPlatformAdmin: false },
  member: { id: "u-member", email: "member@matrix.test", name: "Member", isPlatformAdmin: false },
  owner: { id: "u-owner", email: "owner@matrix.test", name: "Owner", isPlatformAdmin: false },
  admin: { id: "u-admin", email: "admin@matrix.test", name: "Admin", isPlatformAdmin: true },
};

function procedureAt(caller: unknown, path: string): (input: unknown) => Promise<unknown> {
  let node: unknown = caller;
  for (const segment of path.split(".")) node = (node as Record<string, unknown>)[segment];
  if (typeof node !== "function") throw new Error(`no procedure at ${path}`);
  return node as (input: unknown) => Promise<unknown>;
}

describe("tRPC access matrix", () => {
  const t = useTestDatabase();
  const clock = fixedClock("2026-11-20T12:00:00Z");
  const createCaller = createCallerFactory(appRouter);

  beforeAll(async () => {
    await t.db.user.createMany({ data: Object.values(users).map((u) => ({ id: u.id, email: u.email, name: u.name, isPlatformAdmin: u.isPlatformAdmin })) });
    await t.db.team.createMany({ data: [{ id: TEAM, name: "Matrix" }, { id: "team-other", name: "Other" }] });
    await t.db.membership.createMany({
      data: [
        { teamId: TEAM, userId: "u-owner", role: "OWNER" },
        { teamId: TEAM, userId: "u-member", role: "MEMBER" },
        { teamId: "team-other", userId: "u-other", role: "OWNER" },
      ],
    });
    await openCostCenter(t.db, { teamId: TEAM, now: new Date("2026-11-01T00:00:00Z"), spendingLimitCents: 50_000n });
    await openCostCenter(t.db, { teamId: "team-other", now: new Date("2026-11-01T00:00:00Z"), spendingLimitCents: 50_000n });
  });

  it("has an entry for every procedure, and no entry for a procedure that does not exist", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.filter((p) => !(p in matrix)), "procedures without an access-matrix entry").toEqual([]);
    expect(Object.keys(matrix).filter((p) => !procedures.includes(p)), "matrix entries without a procedure").toEqual([]);
  });

  for (const [path, entry] of Object.entries(matrix)) {
    for (const who of CALLERS) {
      const allowed = entry.allowed.includes(who);
      it(`${path} is ${allowed ? "allowed" : "denied"} for ${who}`, async () => {
        const ctx: TrpcContext = { db: t.db, clock, user: who === "anonymous" ? null : users[who] };
        const call = procedureAt(createCaller(ctx), path);
        let code: string | null = null;
        try {
          await call(entry.input);
        } catch (e) {
          if (!(e instanceof TRPCError)) throw e;
          code = e.code;
        }
        if (allowed) {
          // Allowed may still fail validation or find nothing; it must never be an auth denial.
          expect(code === "UNAUTHORIZED" || code === "FORBIDDEN", `${path} as ${who} got ${code}`).toBe(false);
          expect(code === "INTERNAL_SERVER_ERROR", `${path} as ${who} crashed`).toBe(false);
        } else {
          expect(code).toBe(who === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
        }
      });
    }
  }
});
