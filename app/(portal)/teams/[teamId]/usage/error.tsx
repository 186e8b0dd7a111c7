"use client";
import { ErrorState } from "@/app/_components/ui";

export default function UsageError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Usage</h1>
      <ErrorState message={`The usage page could not be loaded. ${error.message}`} onRetry={reset} />
    </div>
  );
}
