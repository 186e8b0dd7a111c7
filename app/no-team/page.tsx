import { SignOutButton } from "../_components/sign-out-button";

export default function NoTeam() {
  return (
    <main className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-xl font-semibold">You are not in a team yet</h1>
      <p className="mt-2 text-slate-600">
        Ask a team owner to invite you with this email address, or sign in with the account your team uses.
      </p>
      <div className="mt-6">
        <SignOutButton />
      </div>
    </main>
  );
}
