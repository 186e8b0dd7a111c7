"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, ErrorState, inputClass, Skeleton } from "@/app/_components/ui";
import { formatDate } from "@/app/_components/format";

export function MembersPanel({ teamId, isOwner, currentUserId }: { teamId: string; isOwner: boolean; currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.members.list.queryOptions({ teamId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ teamId }) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"OWNER" | "MEMBER">("MEMBER");
  const [link, setLink] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async (r) => {
        setLink(`${window.location.origin}${r.path}`);
        setEmail("");
        await refresh();
      },
    }),
  );
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh, onSuccess: () => setConfirmRemove(null) }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSettled: refresh }));
  const actionError = changeRole.error ?? remove.error ?? revoke.error;

  if (list.isPending) return <Skeleton className="mt-4 h-64" label="Loading members" />;
  if (list.isError) return <ErrorState message={`Could not load members: ${list.error.message}`} onRetry={() => void list.refetch()} />;
  const { members, invitations, timeZone } = list.data;
  return (
    <div className="mt-4 space-y-4">
      {actionError && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {actionError.message}
        </p>
      )}
      <Card title={`${members.length} ${members.length === 1 ? "member" : "members"}`}>
        <ul className="divide-y divide-slate-100" data-testid="member-list">
          {members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 py-3" data-testid="member-row">
              <div className="min-w-0">
                <p className="truncate font-medium">
                  {m.name ?? m.email ?? m.userId}
                  {m.userId === currentUserId && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
                </p>
                <p className="truncate text-xs text-slate-500">
                  {m.email} · joined {formatDate(m.joinedAt, timeZone)}
                </p>
              </div>
              <div className="flex items-center gap-2">
                {isOwner ? (
                  <label className="text-sm">
                    <span className="sr-only">Role of {m.name ?? m.email ?? m.userId}</span>
                    <select
                      className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                      value={m.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ teamId, userId: m.userId, role: e.target.value === "OWNER" ? "OWNER" : "MEMBER" })}
                    >
                      <option value="OWNER">Owner</option>
                      <option value="MEMBER">Member</option>
                    </select>
                  </label>
                ) : (
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${m.role === "OWNER" ? "bg-indigo-50 text-indigo-700" : "bg-slate-100 text-slate-700"}`}>
                    {m.role === "OWNER" ? "Owner" : "Member"}
                  </span>
                )}
                {isOwner &&
                  (confirmRemove === m.userId ? (
                    <>
                      <Button variant="danger" onClick={() => remove.mutate({ teamId, userId: m.userId })} disabled={remove.isPending}>
                        Confirm removal
                      </Button>
                      <Button variant="secondary" onClick={() => setConfirmRemove(null)}>
                        Cancel
                      </Button>
                    </>
                  ) : (
                    <Button variant="secondary" onClick={() => setConfirmRemove(m.userId)}>
                      Remove
                    </Button>
                  ))}
              </div>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-xs text-slate-500">Owners manage the limit, billing and members; members see their own usage. A team always keeps at least one owner.</p>
      </Card>
      {isOwner && (
        <Card title="Invite someone">
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              setLink(null);
              invite.mutate({ teamId, email, role });
            }}
          >
            <label className="min-w-56 flex-1 text-xs font-medium text-slate-600">
              Email
              <input type="email" required className={`${inputClass} mt-1`} value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
            </label>
            <label className="text-xs font-medium text-slate-600">
              Role
              <select className={`${inputClass} mt-1`} value={role} onChange={(e) => setRole(e.target.value === "OWNER" ? "OWNER" : "MEMBER")}>
                <option value="MEMBER">Member</option>
                <option value="OWNER">Owner</option>
              </select>
            </label>
            <Button type="submit" disabled={invite.isPending || email.trim() === ""}>
              {invite.isPending ? "Creating…" : "Create invitation"}
            </Button>
          </form>
          {invite.isError && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {invite.error.message}
            </p>
          )}
          {link && (
            <div className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
              <p>Invitation created. Send this link to them — it is shown only now and works for 14 days:</p>
              <p className="mt-1 break-all font-mono text-xs" data-testid="invite-link">
                {link}
              </p>
              <Button variant="secondary" className="mt-2" onClick={() => void navigator.clipboard.writeText(link)}>
                Copy link
              </Button>
            </div>
          )}
          {invitations.length > 0 && (
            <div className="mt-4">
              <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Pending invitations</h3>
              <ul className="mt-1 divide-y divide-slate-100 text-sm">
                {invitations.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span className="min-w-0 truncate">
                      {i.email} · {i.role === "OWNER" ? "Owner" : "Member"} · expires {formatDate(i.expiresAt, timeZone)}
                    </span>
                    <Button variant="secondary" onClick={() => revoke.mutate({ teamId, invitationId: i.id })} disabled={revoke.isPending}>
                      Withdraw
                    </Button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
