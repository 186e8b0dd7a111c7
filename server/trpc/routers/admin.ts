import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "../init";
import { adminLedger, adminTeamDetail, grantCredits, jobNames, listJobRuns, searchTeams, setTeamBlocked } from "../../services/admin";
import { apiKeyScopeSchema, createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";

const teamId = z.string().min(1).max(200);

export const adminRouter = createTRPCRouter({
  teams: adminProcedure.input(z.object({ query: z.string().max(200).default("") })).query(({ ctx, input }) => searchTeams(ctx.db, input.query)),
  team: adminProcedure.input(z.object({ teamId })).query(({ ctx, input }) => adminTeamDetail(ctx.db, input.teamId)),
  ledger: adminProcedure
    .input(
      z.object({
        teamId,
        kind: z.enum(["WORKSPACE", "CYCLE_RESET", "INVOICE", "CREDIT_NOTE"]).optional(),
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => adminLedger(ctx.db, input)),
  /** `requestId` is generated when the form opens, so a double submit grants once. */
  grantCredits: adminProcedure
    .input(z.object({ teamId, credits: z.string().max(40), reason: z.string().max(1000), requestId: z.string().min(8).max(100) }))
    .mutation(({ ctx, input }) => grantCredits({ db: ctx.db, clock: ctx.clock }, { ...input, actorId: ctx.user.id })),
  setBlocked: adminProcedure
    .input(z.object({ teamId, blocked: z.boolean(), reason: z.string().max(1000) }))
    .mutation(({ ctx, input }) => setTeamBlocked({ db: ctx.db, clock: ctx.clock }, { ...input, actorId: ctx.user.id })),
  jobRuns: adminProcedure
    .input(
      z.object({
        job: z.string().max(100).optional(),
        outcome: z.enum(["RUNNING", "SUCCEEDED", "FAILED"]).optional(),
        cursor: z.string().max(40).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listJobRuns(ctx.db, input)),
  jobNames: adminProcedure.query(({ ctx }) => jobNames(ctx.db)),
  apiKeys: adminProcedure.query(({ ctx }) => listApiKeys(ctx.db)),
  /** The response carries the key itself: the only time it is ever shown. */
  createApiKey: adminProcedure
    .input(z.object({ name: z.string().max(100), scopes: z.array(apiKeyScopeSchema).max(10) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, { ...input, createdById: ctx.user.id })),
  revokeApiKey: adminProcedure
    .input(z.object({ id: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => ({ revoked: await revokeApiKey(ctx.db, input.id, ctx.clock, { userId: ctx.user.id }) })),
});
