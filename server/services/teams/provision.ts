// Team provisioning by the workspace platform (PUT /api/v1/teams/{teamId}): create or update a
// team, make sure it has its cost center, and make the listed emails owners — in one transaction.
// Listed owners are added (or promoted); nobody is removed, because roles are managed in the portal
// and a platform resync must not lock an owner out.
import { z } from "zod";
import type { AppConfig } from "../../config/config";
import type { Db, Tx } from "../../db/client";
import type { Clock } from "../../lib/clock";
import { centsToCredits } from "../../domain/money";
import { openCostCenter } from "../ledger";

/** Team ids come from the platform; keep them URL- and log-safe. */
export const teamIdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "may contain only letters, digits, '.', '_', ':' and '-', and must start with a letter or digit");

export const teamParamsSchema = z.object({ teamId: teamIdSchema });

export const teamUpsertSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  ownerEmails: z.array(z.email("must be an email address").max(320)).max(100, "at most 100 owners").optional(),
});

export type TeamUpsertInput = z.infer<typeof teamUpsertSchema>;

export interface ProvisionedTeam {
  id: string;
  name: string;
  ownerEmails: string[];
  costCenter: {
    id: string;
    status: string;
    billingStrategy: string;
    spendingLimitCredits: number;
    spendingLimitCents: number;
    billingCycleStart: string;
    nextBillingTime: string;
  };
}

export interface ProvisionDeps {
  db: Db;
  clock: Clock;
  config: AppConfig;
}

export interface Actor {
  kind: "API_KEY" | "USER" | "SYSTEM";
  id: string | null;
}

export async function provisionTeam(
  deps: ProvisionDeps,
  teamId: string,
  input: TeamUpsertInput,
  actor: Actor,
): Promise<{ created: boolean; team: ProvisionedTeam }> {
  const now = deps.clock.now();
  const emails = [...new Set((input.ownerEmails ?? []).map((e) => e.trim().toLowerCase()))].sort();
  return deps.db.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Team" ("id", "name", "createdAt", "updatedAt") VALUES (${teamId}, ${input.name}, ${now}, ${now})
      ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
    const created = inserted.length === 1;
    if (created) {
      await audit(tx, actor, teamId, "team.created", null, { name: input.name });
    } else {
      const rows = await tx.$queryRaw<{ name: string }[]>`SELECT "name" FROM "Team" WHERE "id" = ${teamId} FOR UPDATE`;
      const before = rows[0]?.name;
      if (before !== input.name) {
        await tx.team.update({ where: { id: teamId }, data: { name: input.name } });
        await audit(tx, actor, teamId, "team.renamed", { name: before ?? null }, { name: input.name });
      }
    }
    const costCenter = await openCostCenter(tx, { teamId, now, spendingLimitCents: deps.config.defaultSpendingLimitCents });

    if (emails.length > 0) {
      // Users by email (set-based, sorted so concurrent provisioning locks rows in the same order).
      await tx.$executeRaw`
        INSERT INTO "User" ("email", "createdAt", "updatedAt")
        SELECT e, ${now}, ${now} FROM unnest(${emails}::text[]) AS e ORDER BY e
        ON CONFLICT ("email") DO NOTHING`;
      const promoted = await tx.$queryRaw<{ email: string | null }[]>`
        WITH owners AS (SELECT "id", "email" FROM "User" WHERE "email" = ANY(${emails}::text[])),
        upserted AS (
          INSERT INTO "Membership" ("teamId", "userId", "role", "createdAt")
          SELECT ${teamId}, "id", 'OWNER'::"MembershipRole", ${now} FROM owners ORDER BY "id"
          ON CONFLICT ("teamId", "userId") DO UPDATE SET "role" = 'OWNER'::"MembershipRole"
            WHERE "Membership"."role" <> 'OWNER'::"MembershipRole"
          RETURNING "userId"
        )
        SELECT owners."email" FROM upserted JOIN owners ON owners."id" = upserted."userId" ORDER BY owners."email"`;
      if (promoted.length > 0) {
        await audit(tx, actor, teamId, "team.owners_added", null, { emails: promoted.map((p) => p.email) });
      }
    }

    const owners = await tx.$queryRaw<{ email: string }[]>`
      SELECT u."email" FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."teamId" = ${teamId} AND m."role" = 'OWNER'::"MembershipRole" AND u."email" IS NOT NULL ORDER BY u."email"`;
    return {
      created,
      team: {
        id: teamId,
        name: input.name,
        ownerEmails: owners.map((o) => o.email),
        costCenter: {
          id: costCenter.id,
          status: costCenter.status,
          billingStrategy: costCenter.billingStrategy,
          spendingLimitCredits: centsToCredits(costCenter.spendingLimitCents),
          spendingLimitCents: Number(costCenter.spendingLimitCents),
          billingCycleStart: costCenter.billingCycleStart.toISOString(),
          nextBillingTime: costCenter.nextBillingTime.toISOString(),
        },
      },
    };
  });
}

async function audit(tx: Tx, actor: Actor, teamId: string, action: string, before: object | null, after: object): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorKind: actor.kind,
      actorId: actor.id,
      action,
      teamId,
      targetType: "Team",
      targetId: teamId,
      ...(before ? { before } : {}),
      after,
    },
  });
}
