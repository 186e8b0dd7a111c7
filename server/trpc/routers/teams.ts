import { createTRPCRouter, protectedProcedure } from "../init";
import { listTeamsForUser } from "../../services/teams/directory";

export const teamsRouter = createTRPCRouter({
  /** The teams the signed-in user can switch between (all teams for platform admins). */
  mine: protectedProcedure.query(({ ctx }) => listTeamsForUser(ctx.db, ctx.user)),
});
