// The API's table of contents. Every procedure must also appear in the access matrix test.
import { createTRPCRouter } from "../init";
import { teamsRouter } from "./teams";
import { usageRouter } from "./usage";

export const appRouter = createTRPCRouter({
  teams: teamsRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
