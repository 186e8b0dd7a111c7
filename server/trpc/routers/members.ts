import { z } from "zod";
import { createTRPCRouter, protectedProcedure, teamMemberProcedure, teamOwnerProcedure } from "../init";
import {
  acceptInvitation,
  changeMemberRole,
  inviteMember,
  listMembers,
  previewInvitation,
  removeMember,
  revokeInvitation,
} from "../../services/members";

const role = z.enum(["OWNER", "MEMBER"]);
const token = z.string().min(16).max(200);

export const membersRouter = createTRPCRouter({
  list: teamMemberProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.teamId, ctx.clock.now())),
  invite: teamOwnerProcedure
    .input(z.object({ email: z.string().max(320), role }))
    .mutation(({ ctx, input }) => inviteMember({ db: ctx.db, clock: ctx.clock }, { teamId: ctx.teamId, actorId: ctx.user.id, email: input.email, role: input.role })),
  revokeInvitation: teamOwnerProcedure
    .input(z.object({ invitationId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => revokeInvitation({ db: ctx.db, clock: ctx.clock }, { teamId: ctx.teamId, actorId: ctx.user.id, invitationId: input.invitationId })),
  changeRole: teamOwnerProcedure
    .input(z.object({ userId: z.string().min(1).max(200), role }))
    .mutation(({ ctx, input }) => changeMemberRole({ db: ctx.db }, { teamId: ctx.teamId, actorId: ctx.user.id, userId: input.userId, role: input.role })),
  remove: teamOwnerProcedure
    .input(z.object({ userId: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => removeMember({ db: ctx.db }, { teamId: ctx.teamId, actorId: ctx.user.id, userId: input.userId })),
  /** What an invitation link is for (any signed-in user holding the link). */
  invitation: protectedProcedure.input(z.object({ token })).query(({ ctx, input }) => previewInvitation(ctx.db, input.token, ctx.clock.now())),
  accept: protectedProcedure
    .input(z.object({ token }))
    .mutation(({ ctx, input }) => acceptInvitation({ db: ctx.db, clock: ctx.clock }, { token: input.token, user: ctx.user })),
});
