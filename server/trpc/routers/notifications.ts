import { createTRPCRouter, teamOwnerProcedure } from "../init";
import { listTeamNotifications } from "../../services/notifications";

export const notificationsRouter = createTRPCRouter({
  /** Billing notices for the team's owners, newest first. */
  list: teamOwnerProcedure.query(({ ctx }) => listTeamNotifications(ctx.db, ctx.teamId)),
});
