// `npm run db:seed`: a deterministic demo data set (same PRNG seed → same instances, relative to
// now): three teams, twelve members and a platform admin, ~40 days of workspace history across
// classes with a few instances running now, the ledger reconciled and the past cycle reset.
// Re-running it replaces all data.
import { pathToFileURL } from "node:url";
import { appConfig } from "../server/config/config";
import { closeDb, createDb, type Db } from "../server/db/client";
import { addMonthsClamped } from "../server/domain/billing-cycle";
import { systemClock } from "../server/lib/clock";
import { prng } from "../server/lib/prng";
import { logger } from "../server/lib/logger";
import { reconcileUsage, resetDueFreeCycles } from "../server/services/ledger";
import { platformAdmin, seedTeams, workspaceClasses } from "./seed-data";

const HISTORY_DAYS = 40;
const HOUR = 3_600_000;

interface InstanceRow {
  id: string;
  workspaceId: string;
  teamId: string;
  costCenterId: string;
  userId: string;
  workspaceClass: string;
  contextUrl: string;
  startedAt: Date;
  stoppedAt: Date | null;
}

const repos = ["acme/api", "acme/web", "platform/infra", "tools/cli", "docs/site", "data/pipeline"];

function buildHistory(now: Date, costCenters: Map<string, string>): InstanceRow[] {
  const rand = prng(20261127);
  const rows: InstanceRow[] = [];
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const team of seedTeams) {
    const costCenterId = costCenters.get(team.id) ?? "";
    for (const member of team.members) {
      for (let d = HISTORY_DAYS; d >= 0; d--) {
        const day = new Date(dayStart - d * 24 * HOUR);
        const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
        if (weekend && rand() < 0.7) continue;
        const sessions = Math.max(0, Math.round(team.sessionsPerMemberPerDay * (0.5 + rand())));
        for (let s = 0; s < sessions; s++) {
          const startedAt = new Date(day.getTime() + (7 + rand() * 11) * HOUR + Math.floor(rand() * 60_000));
          // Mostly short sessions, some long ones: 5 min … ~4 h.
          const minutes = rand() < 0.8 ? 5 + rand() * 55 : 60 + rand() * 180;
          const stoppedAt = new Date(startedAt.getTime() + Math.round(minutes * 60_000));
          if (stoppedAt.getTime() > now.getTime()) continue;
          const n = rows.length;
          rows.push({
            id: `inst-${team.id}-${n}`,
            workspaceId: `ws-${member.id}-${n % 7}`,
            teamId: team.id,
            costCenterId,
            userId: member.id,
            workspaceClass: workspaceClasses[Math.floor(rand() * workspaceClasses.length)] ?? "g1-standard",
            contextUrl: `https://github.com/${repos[Math.floor(rand() * repos.length)] ?? "acme/api"}`,
            startedAt,
            stoppedAt,
          });
        }
      }
      // A few workspaces running right now.
      if (rand() < 0.6) {
        const n = rows.length;
        rows.push({
          id: `inst-${team.id}-${n}`,
          workspaceId: `ws-${member.id}-live`,
          teamId: team.id,
          costCenterId,
          userId: member.id,
          workspaceClass: workspaceClasses[Math.floor(rand() * workspaceClasses.length)] ?? "g1-standard",
          contextUrl: `https://github.com/${repos[n % repos.length] ?? "acme/api"}`,
          startedAt: new Date(now.getTime() - Math.round((0.2 + rand() * 2.5) * HOUR)),
          stoppedAt: null,
        });
      }
    }
  }
  return rows;
}

async function insertInstances(db: Db, rows: InstanceRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "WorkspaceInstance" ("id", "workspaceId", "teamId", "costCenterId", "userId", "workspaceClass", "contextUrl", "startedAt", "stoppedAt", "createdAt", "updatedAt")
    SELECT i.id, i.ws, i.team, i.cc, i.usr, i.cls, i.ctx, i.started, i.stopped, i.started, ${now}
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.workspaceId)}::text[], ${rows.map((r) => r.teamId)}::text[],
                  ${rows.map((r) => r.costCenterId)}::text[], ${rows.map((r) => r.userId)}::text[], ${rows.map((r) => r.workspaceClass)}::text[],
                  ${rows.map((r) => r.contextUrl)}::text[], ${rows.map((r) => r.startedAt)}::timestamptz[], ${rows.map((r) => r.stoppedAt)}::timestamptz[])
        AS i(id, ws, team, cc, usr, cls, ctx, started, stopped)`;
}

/** Instances of the paying teams that started at or after `since` (the part `deferPaidUsageFrom` holds back). */
async function paidPeriodRows(db: Db, now: Date, since: Date): Promise<InstanceRow[]> {
  const costCenters = new Map((await db.costCenter.findMany({ select: { id: true, teamId: true } })).map((c) => [c.teamId, c.id]));
  const paying = new Set(seedTeams.filter((t) => t.paying).map((t) => t.id));
  return buildHistory(now, costCenters).filter((r) => paying.has(r.teamId) && r.startedAt.getTime() >= since.getTime());
}

/**
 * The demo's second half of the paying teams' history: their workspaces since `since`, inserted
 * once they are on the paid plan (so that usage is billed through Stripe), and reconciled.
 * Must be called with the same `now` as seed().
 */
export async function seedPaidPeriodUsage(db: Db, now: Date, since: Date): Promise<{ instances: number }> {
  const rows = await paidPeriodRows(db, now, since);
  await insertInstances(db, rows, now);
  await reconcileUsage({ db, config: appConfig(), clock: { now: () => now }, logger }, { since: null });
  return { instances: rows.length };
}

export interface SeedOptions {
  /**
   * Hold back the paying teams' workspaces that started at or after this instant; the demo inserts
   * them with seedPaidPeriodUsage() after upgrading those teams, so they are billed through Stripe.
   */
  deferPaidUsageFrom?: Date;
}

export async function seed(db: Db, now = new Date(), options: SeedOptions = {}): Promise<{ instances: number }> {
  const config = appConfig();
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);

  const anchor = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - HISTORY_DAYS * 24 * HOUR);
  // A limit high enough that the past cycle's reset forgives all of it; real limits are set below.
  const historyLimitCents = 1_000_000_00n;

  const costCenters = new Map<string, string>();
  await db.$transaction(async (tx) => {
    await tx.user.create({ data: { ...platformAdmin, isPlatformAdmin: true } });
    for (const team of seedTeams) {
      await tx.team.create({ data: { id: team.id, name: team.name, createdAt: anchor } });
      await tx.user.createMany({ data: team.members.map(({ id, email, name }) => ({ id, email, name })) });
      await tx.membership.createMany({ data: team.members.map((m) => ({ teamId: team.id, userId: m.id, role: m.role })) });
      const cc = await tx.costCenter.create({
        data: {
          teamId: team.id,
          spendingLimitCents: historyLimitCents,
          freeSpendingLimitCents: historyLimitCents,
          cycleAnchor: anchor,
          billingCycleStart: anchor,
          nextBillingTime: addMonthsClamped(anchor, 1),
          createdAt: anchor,
        },
      });
      costCenters.set(team.id, cc.id);
      await tx.teamNotificationSettings.create({ data: { teamId: team.id } });
    }
  });

  const deferFrom = options.deferPaidUsageFrom;
  const paying = new Set(seedTeams.filter((t) => t.paying).map((t) => t.id));
  const rows = buildHistory(now, costCenters).filter(
    (r) => !deferFrom || !paying.has(r.teamId) || r.startedAt.getTime() < deferFrom.getTime(),
  );
  await insertInstances(db, rows, now);

  const clock = { now: () => now };
  await reconcileUsage({ db, config, clock, logger }, { since: null });
  await resetDueFreeCycles({ db, clock, logger });

  for (const team of seedTeams) {
    const ccId = costCenters.get(team.id) ?? "";
    const cc = await db.costCenter.findUniqueOrThrow({ where: { id: ccId } });
    const limitCents =
      team.limitCredits === "85%"
        ? ((cc.balanceCents * 100n) / 85n / 100n + 1n) * 100n // whole credits, usage at ~85 %
        : BigInt(team.limitCredits) * 100n;
    await db.costCenter.update({ where: { id: ccId }, data: { spendingLimitCents: limitCents, freeSpendingLimitCents: limitCents } });
    const owner = team.members.find((m) => m.role === "OWNER");
    await db.auditLog.create({
      data: {
        actorKind: "USER",
        actorId: owner?.id ?? null,
        action: "cost_center.spending_limit_changed",
        teamId: team.id,
        costCenterId: ccId,
        targetType: "CostCenter",
        targetId: ccId,
        before: { spendingLimitCents: historyLimitCents.toString() },
        after: { spendingLimitCents: limitCents.toString() },
        createdAt: new Date(now.getTime() - 2 * 24 * HOUR),
      },
    });
  }
  return { instances: rows.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const db = createDb();
  const started = Date.now();
  const { instances } = await seed(db, systemClock.now());
  console.log(`Seeded 3 teams, 13 users and ${instances} workspace instances in ${Date.now() - started} ms.`);
  await closeDb(db);
  process.exit(0);
}
