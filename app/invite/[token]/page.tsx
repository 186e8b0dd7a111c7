import { redirect } from "next/navigation";
import { sessionUser } from "@/server/trpc/context";
import { AcceptInvitation } from "./accept-invitation";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await sessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <AcceptInvitation token={token} email={user.email} />
    </main>
  );
}
