import { z } from "zod";
import { createTRPCRouter, teamMemberProcedure, teamOwnerProcedure } from "../init";
import { changeSpendingLimit, getSpendingLimit, spendingLimitHistory } from "../../services/limits";

export const limitsRouter = createTRPCRouter({
  /** The current limit (members see it read-only). */
  get: teamMemberProcedure.query(({ ctx }) => getSpendingLimit(ctx.db, ctx.teamId)),
  /** Who changed the limit, when, old → new. */
  history: teamOwnerProcedure.query(({ ctx }) => spendingLimitHistory(ctx.db, ctx.teamId)),
  /** Owners set the limit in credits ("500", "499.50"); validated in the service. */
  update: teamOwnerProcedure
    .input(z.object({ credits: z.string().max(40) }))
    .mutation(({ ctx, input }) => changeSpendingLimit({ db: ctx.db, clock: ctx.clock }, { teamId: ctx.teamId, actorId: ctx.user.id, credits: input.credits })),
});
