// Small shared building blocks for the dashboard: cards, skeletons, empty and error states.
"use client";
import type { ReactNode } from "react";

export function Card({ title, action, children, className = "", testId }: { title?: ReactNode; action?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`min-w-0 rounded-lg border border-slate-200 bg-white p-4 sm:p-5 ${className}`} data-testid={testId}>
      {(title || action) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold text-slate-700">{title}</h2>}
          {action}
        </div>
      )}
      {children}
    </section>
  );
}

export function Skeleton({ className = "h-24", label = "Loading" }: { className?: string; label?: string }) {
  return <div role="status" aria-label={label} className={`animate-pulse rounded-lg bg-slate-200 ${className}`} />;
}

/** A page's loading state: its title, then one placeholder per section (Tailwind height classes). */
export function PageSkeleton({ label, titleWidth = "w-48", sections }: { label: string; titleWidth?: string; sections: string[] }) {
  return (
    <div className="space-y-4">
      <Skeleton className={`h-7 ${titleWidth}`} label={label} />
      {sections.map((height, i) => (
        <Skeleton key={i} className={height} />
      ))}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-2 rounded-md bg-white px-3 py-1.5 font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-100">
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
      <p className="font-medium text-slate-800">{title}</p>
      {children && <div className="mt-1">{children}</div>}
    </div>
  );
}

export function Button({
  children,
  variant = "primary",
  className = "",
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" }) {
  const styles = {
    primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300",
    secondary: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400",
    danger: "bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300",
  }[variant];
  return (
    <button type="button" className={`rounded-md px-3 py-2 text-sm font-medium ${styles} ${className}`} {...props}>
      {children}
    </button>
  );
}

export const inputClass = "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none";
