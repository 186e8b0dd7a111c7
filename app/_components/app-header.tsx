import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "./sign-out-button";

/** The header of every signed-in page: product name, a context slot (team switcher, admin badge), the account, and section tabs. */
export function AppHeader({ email, context, nav }: { email: string | null; context: ReactNode; nav: ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
        <Link href="/" className="font-semibold text-slate-900">
          Workspace usage
        </Link>
        {context}
        <div className="ml-auto flex items-center gap-2 text-sm text-slate-600">
          <span className="hidden sm:inline" data-testid="signed-in-as">
            {email}
          </span>
          <SignOutButton />
        </div>
      </div>
      {nav}
    </header>
  );
}
