// Team members and invitations (SPEC §6). An invitation is a row plus a link carrying a random
// token; only the token's sha256 is stored. A team always keeps at least one owner: removals and
// demotions lock the team's owner rows first, so two concurrent changes cannot both pass the check.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../../db/client";
import { DomainError } from "../../domain/errors";
import type { Clock } from "../../lib/clock";

export const INVITATION_TTL_MS = 14 * 86_400_000;

export type Role = "OWNER" | "MEMBER";

export interface MemberView {
  userId: string;
  name: string | null;
  email: string | null;
  role: Role;
  joinedAt: Date;
}

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedByName: string | null;
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function invitePath(token: string): string {
  return `/invite/${token}`;
}

export async function listMembers(db: Db, teamId: string, now: Date): Promise<{ members: MemberView[]; invitations: InvitationView[]; timeZone: string }> {
  const [team, members, invitations] = await Promise.all([
    db.team.findUnique({ where: { id: teamId }, select: { timeZone: true } }),
    db.membership.findMany({ where: { teamId }, include: { user: true }, orderBy: [{ role: "asc" }, { createdAt: "asc" }] }),
    db.$queryRaw<InvitationView[]>`
      SELECT i.id, i.email, i.role::text AS role, i."createdAt", i."expiresAt", u.name AS "invitedByName"
      FROM "Invitation" i LEFT JOIN "User" u ON u.id = i."invitedById"
      WHERE i."teamId" = ${teamId} AND i."acceptedAt" IS NULL AND i."revokedAt" IS NULL AND i."expiresAt" > ${now}::timestamptz
      ORDER BY i."createdAt" DESC`,
  ]);
  if (!team) throw new DomainError("NOT_FOUND", `Team ${teamId} does not exist.`);
  return {
    timeZone: team.timeZone,
    members: members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role, joinedAt: m.createdAt })),
    invitations,
  };
}

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().max(320).pipe(z.email()),
  role: z.enum(["OWNER", "MEMBER"]),
});

/** Creates an invitation and returns the one-time link path. A pending invite for the same email is replaced. */
export async function inviteMember(
  deps: { db: Db; clock: Clock },
  args: { teamId: string; actorId: string; email: string; role: Role },
): Promise<{ invitationId: string; path: string; expiresAt: Date }> {
  const parsed = inviteSchema.safeParse({ email: args.email, role: args.role });
  if (!parsed.success) throw new DomainError("INVALID_INPUT", "Enter a valid email address.", [{ field: "email", reason: "not an email address" }]);
  const { email, role } = parsed.data;
  const now = deps.clock.now();
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  return deps.db.$transaction(async (tx) => {
    const existing = await tx.membership.findFirst({ where: { teamId: args.teamId, user: { email } } });
    if (existing) throw new DomainError("CONFLICT", `${email} is already a member of this team.`, [{ field: "email", reason: "already a member" }]);
    await tx.invitation.updateMany({ where: { teamId: args.teamId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invitation = await tx.invitation.create({
      data: { teamId: args.teamId, email, role, tokenHash: hashInviteToken(token), invitedById: args.actorId, createdAt: now, expiresAt },
    });
    await audit(tx, args.actorId, args.teamId, "invitation.created", "Invitation", invitation.id, null, { email, role });
    return { invitationId: invitation.id, path: invitePath(token), expiresAt };
  });
}

export async function revokeInvitation(deps: { db: Db; clock: Clock }, args: { teamId: string; actorId: string; invitationId: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    const updated = await tx.invitation.updateMany({
      where: { id: args.invitationId, teamId: args.teamId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (updated.count === 0) throw new DomainError("NOT_FOUND", "No pending invitation with that id.");
    await audit(tx, args.actorId, args.teamId, "invitation.revoked", "Invitation", args.invitationId, null, { revokedAt: now.toISOString() });
  });
}

export interface InvitationPreview {
  teamId: string;
  teamName: string;
  email: string;
  role: Role;
  state: "PENDING" | "ACCEPTED" | "EXPIRED" | "REVOKED";
}

export async function previewInvitation(db: Db, token: string, now: Date): Promise<InvitationPreview> {
  const inv = await db.invitation.findUnique({ where: { tokenHash: hashInviteToken(token) }, include: { team: true } });
  if (!inv) throw new DomainError("NOT_FOUND", "This invitation link is not valid. Ask a team owner for a new one.");
  const state = inv.acceptedAt ? "ACCEPTED" : inv.revokedAt ? "REVOKED" : inv.expiresAt.getTime() <= now.getTime() ? "EXPIRED" : "PENDING";
  return { teamId: inv.teamId, teamName: inv.team.name, email: inv.email, role: inv.role, state };
}

/**
 * The signed-in user accepts. The invitation names an email; only the account with that email may
 * accept it, so a forwarded link cannot add someone else.
 */
export async function acceptInvitation(deps: { db: Db; clock: Clock }, args: { token: string; user: { id: string; email: string | null } }): Promise<{ teamId: string }> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; teamId: string; email: string; role: Role; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null }[]>`
      SELECT id, "teamId", email, role::text AS role, "expiresAt", "acceptedAt", "revokedAt"
      FROM "Invitation" WHERE "tokenHash" = ${hashInviteToken(args.token)} FOR UPDATE`;
    const inv = rows[0];
    if (!inv) throw new DomainError("NOT_FOUND", "This invitation link is not valid. Ask a team owner for a new one.");
    if (inv.revokedAt) throw new DomainError("CONFLICT", "This invitation was withdrawn. Ask a team owner for a new one.");
    if (inv.expiresAt.getTime() <= now.getTime()) throw new DomainError("CONFLICT", "This invitation has expired. Ask a team owner for a new one.");
    if ((args.user.email ?? "").toLowerCase() !== inv.email) {
      throw new DomainError("FORBIDDEN", `This invitation is for ${inv.email}. Sign in with that account to accept it.`);
    }
    if (inv.acceptedAt) return { teamId: inv.teamId };
    await tx.$executeRaw`
      INSERT INTO "Membership" ("teamId", "userId", role, "createdAt") VALUES (${inv.teamId}, ${args.user.id}, ${inv.role}::"MembershipRole", ${now}::timestamptz)
      ON CONFLICT ("teamId", "userId") DO NOTHING`;
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: now } });
    await audit(tx, args.user.id, inv.teamId, "membership.added", "Membership", `${inv.teamId}:${args.user.id}`, null, { role: inv.role, invitationId: inv.id });
    return { teamId: inv.teamId };
  });
}

/** Locks the team's memberships and returns the owner count (rows locked in a stable order). */
async function lockMemberships(tx: Tx, teamId: string): Promise<{ userId: string; role: Role }[]> {
  return tx.$queryRaw<{ userId: string; role: Role }[]>`
    SELECT "userId", role::text AS role FROM "Membership" WHERE "teamId" = ${teamId} ORDER BY "userId" FOR UPDATE`;
}

export async function changeMemberRole(deps: { db: Db }, args: { teamId: string; actorId: string; userId: string; role: Role }): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const members = await lockMemberships(tx, args.teamId);
    const target = members.find((m) => m.userId === args.userId);
    if (!target) throw new DomainError("NOT_FOUND", "That person is not a member of this team.");
    if (target.role === args.role) return;
    if (target.role === "OWNER" && members.filter((m) => m.role === "OWNER").length <= 1) {
      throw new DomainError("CONFLICT", "A team needs at least one owner. Make someone else an owner first.");
    }
    await tx.membership.update({ where: { teamId_userId: { teamId: args.teamId, userId: args.userId } }, data: { role: args.role } });
    await audit(tx, args.actorId, args.teamId, "membership.role_changed", "Membership", `${args.teamId}:${args.userId}`, { role: target.role }, { role: args.role });
  });
}

export async function removeMember(deps: { db: Db }, args: { teamId: string; actorId: string; userId: string }): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const members = await lockMemberships(tx, args.teamId);
    const target = members.find((m) => m.userId === args.userId);
    if (!target) throw new DomainError("NOT_FOUND", "That person is not a member of this team.");
    if (target.role === "OWNER" && members.filter((m) => m.role === "OWNER").length <= 1) {
      throw new DomainError("CONFLICT", "A team needs at least one owner. Make someone else an owner before removing this one.");
    }
    await tx.membership.delete({ where: { teamId_userId: { teamId: args.teamId, userId: args.userId } } });
    await audit(tx, args.actorId, args.teamId, "membership.removed", "Membership", `${args.teamId}:${args.userId}`, { role: target.role }, null);
  });
}

async function audit(
  tx: Tx,
  actorId: string,
  teamId: string,
  action: string,
  targetType: string,
  targetId: string,
  before: Record<string, string> | null,
  after: Record<string, string> | null,
): Promise<void> {
  await tx.auditLog.create({
    data: { actorKind: "USER", actorId, action, teamId, targetType, targetId, ...(before ? { before } : {}), ...(after ? { after } : {}) },
  });
}
