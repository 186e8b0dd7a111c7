"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, ErrorState, Skeleton } from "@/app/_components/ui";

export function AcceptInvitation({ token, email }: { token: string; email: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const preview = useQuery({ ...trpc.members.invitation.queryOptions({ token }), retry: false });
  const accept = useMutation(trpc.members.accept.mutationOptions({ onSuccess: (r) => router.push(`/teams/${encodeURIComponent(r.teamId)}/usage`) }));
  if (preview.isPending) return <Skeleton className="h-40" label="Loading invitation" />;
  if (preview.isError) return <ErrorState message={preview.error.message} onRetry={() => void preview.refetch()} />;
  const inv = preview.data;
  return (
    <Card title="Team invitation">
      <p className="text-lg">
        Join <span className="font-semibold">{inv.teamName}</span> as {inv.role === "OWNER" ? "an owner" : "a member"}.
      </p>
      <p className="mt-1 text-sm text-slate-600">
        The invitation is for {inv.email}; you are signed in as {email ?? "an account without email"}.
      </p>
      {inv.state === "PENDING" ? (
        <Button className="mt-4" onClick={() => accept.mutate({ token })} disabled={accept.isPending}>
          {accept.isPending ? "Joining…" : `Join ${inv.teamName}`}
        </Button>
      ) : (
        <p className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {inv.state === "ACCEPTED" ? "This invitation has already been used." : inv.state === "EXPIRED" ? "This invitation has expired." : "This invitation was withdrawn."} Ask a
          team owner for a new one.
        </p>
      )}
      {accept.isError && (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {accept.error.message}
        </p>
      )}
      <p className="mt-4 text-sm">
        <Link href="/" className="text-indigo-700 underline">
          Go to your teams
        </Link>
      </p>
    </Card>
  );
}
