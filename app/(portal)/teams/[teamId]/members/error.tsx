"use client";
import { ErrorState } from "@/app/_components/ui";

export default function MembersError({ error, reset }: { error: Error; reset: () => void }) {
  return <ErrorState message={`The members could not be loaded. ${error.message}`} onRetry={reset} />;
}
