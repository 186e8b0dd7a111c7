// tRPC: context and procedures by role. Authorization lives here, once, in middleware; routers
// only choose a procedure. Deny by default: a missing role is a denial, and a signed-in user
// without the role gets FORBIDDEN (not UNAUTHORIZED).
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "../db/client";
import { DomainError, type DomainErrorCode } from "../domain/errors";
import type { Clock } from "../lib/clock";
import { logger } from "../lib/logger";
import { trpcInternalErrorsTotal } from "../lib/metrics";
import type { MutationRateLimit } from "../lib/web-rate-limits";

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  isPlatformAdmin: boolean;
}

export interface TrpcContext {
  db: Db;
  clock: Clock;
  user: SessionUser | null;
  /** Per-user limit on mutations (SPEC §7); absent in tests that don't exercise it. */
  mutationRateLimit?: MutationRateLimit;
}

const trpcCode: Record<DomainErrorCode, TRPCError["code"]> = {
  INVALID_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
        details: cause instanceof DomainError ? cause.details : undefined,
      },
    };
  },
});

/** Turns DomainErrors into tRPC errors with the same message; hides and logs everything else. */
const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: trpcCode[cause.code], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ err: result.error.cause ?? result.error, path }, "tRPC procedure failed");
      trpcInternalErrorsTotal.inc({ path });
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. Try again in a moment." });
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Mutations count against a per-user (or anonymous) budget per minute; queries are free. */
const limitMutations = t.middleware(async ({ ctx, type, next }) => {
  if (type === "mutation" && ctx.mutationRateLimit) {
    const { limiter, perMinute } = ctx.mutationRateLimit;
    const decision = await limiter.hit(`mutation:${ctx.user?.id ?? "anonymous"}`, perMinute, 60);
    if (!decision.allowed) {
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many changes in a minute. Try again in ${decision.retryAfterSeconds} s.` });
    }
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapErrors).use(limitMutations);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const teamInput = z.object({ teamId: z.string().min(1) });

/**
 * Members of the team, and platform admins (staff look at any team). `ctx.role` is the member's
 * role, or null for an admin who is not a member.
 */
export const teamMemberProcedure = protectedProcedure.input(teamInput).use(async ({ ctx, input, next }) => {
  const membership = await ctx.db.membership.findUnique({
    where: { teamId_userId: { teamId: input.teamId, userId: ctx.user.id } },
  });
  if (!membership && !ctx.user.isPlatformAdmin) {
    throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this team." });
  }
  return next({ ctx: { ...ctx, teamId: input.teamId, role: membership?.role ?? null } });
});

/** Owners of the team only (platform admins use the admin procedures instead). */
export const teamOwnerProcedure = teamMemberProcedure.use(({ ctx, next }) => {
  if (ctx.role !== "OWNER") throw new TRPCError({ code: "FORBIDDEN", message: "Only team owners can do this." });
  return next({ ctx: { ...ctx, role: "OWNER" as const } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isPlatformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Platform admins only." });
  return next();
});
