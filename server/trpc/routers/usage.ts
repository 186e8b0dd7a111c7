import { z } from "zod";
import { createTRPCRouter, teamMemberProcedure } from "../init";
import { usageDeps } from "../../services/usage/deps";
import { usageEntries, MAX_PAGE_SIZE } from "../../services/usage/entries";
import { dailySeries, usageBreakdown, usageTotals } from "../../services/usage/series";
import { usageFiltersSchema, usageRangeSchema } from "../../services/usage/scope";
import { cycleSummary } from "../../services/usage/summary";

// Members see only their own usage: every service below limits the query to ctx.user.id when
// ctx.role is MEMBER (see services/usage/scope.ts).
const rangeQuery = z.object({ range: usageRangeSchema, filters: usageFiltersSchema.default({}), asOf: z.date().optional() });

export const usageRouter = createTRPCRouter({
  /** Current cycle: used vs limit, days left, forecast, whether starts are allowed. */
  summary: teamMemberProcedure
    .input(z.object({ asOf: z.date().optional() }))
    .query(({ ctx, input }) => cycleSummary(usageDeps(ctx.db, ctx.clock), ctx.teamId, { userId: ctx.user.id, role: ctx.role }, input.asOf)),
  /** Credits per day by workspace class, in the team's time zone. */
  series: teamMemberProcedure
    .input(rangeQuery)
    .query(({ ctx, input }) => dailySeries(usageDeps(ctx.db, ctx.clock), { ...input, teamId: ctx.teamId }, { userId: ctx.user.id, role: ctx.role })),
  /** Credits by member and by class. */
  breakdown: teamMemberProcedure
    .input(rangeQuery)
    .query(({ ctx, input }) => usageBreakdown(usageDeps(ctx.db, ctx.clock), { ...input, teamId: ctx.teamId }, { userId: ctx.user.id, role: ctx.role })),
  /** Entry count and credits of a range: what the table and its CSV export add up to. */
  totals: teamMemberProcedure
    .input(rangeQuery)
    .query(({ ctx, input }) => usageTotals(usageDeps(ctx.db, ctx.clock), { ...input, teamId: ctx.teamId }, { userId: ctx.user.id, role: ctx.role })),
  /** One page of the usage table, newest first. */
  entries: teamMemberProcedure
    .input(rangeQuery.extend({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50) }))
    .query(({ ctx, input }) => usageEntries(usageDeps(ctx.db, ctx.clock), { ...input, teamId: ctx.teamId }, { userId: ctx.user.id, role: ctx.role })),
});
