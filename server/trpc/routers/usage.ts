import { createTRPCRouter, teamMemberProcedure } from "../init";
import { cycleSummary } from "../../services/usage/summary";

export const usageRouter = createTRPCRouter({
  /** Current cycle: credits used against the spending limit. */
  summary: teamMemberProcedure.query(({ ctx }) => cycleSummary(ctx.db, ctx.teamId)),
});
