// The API's table of contents. Every procedure must also appear in the access matrix test.
import { createTRPCRouter } from "../init";
import { teamsRouter } from "./teams";
import { usageRouter } from "./usage";
import { limitsRouter } from "./limits";
import { membersRouter } from "./members";
import { adminRouter } from "./admin";
import { billingRouter } from "./billing";
import { notificationsRouter } from "./notifications";

export const appRouter = createTRPCRouter({
  teams: teamsRouter,
  usage: usageRouter,
  limits: limitsRouter,
  members: membersRouter,
  admin: adminRouter,
  billing: billingRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
