import { signOut } from "@/server/auth/config";

export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/signin" });
      }}
    >
      <button type="submit" className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100">
        Sign out
      </button>
    </form>
  );
}
