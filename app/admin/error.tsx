"use client";
import { ErrorState } from "@/app/_components/ui";

export default function AdminError({ error, reset }: { error: Error; reset: () => void }) {
  return <ErrorState message={`This admin page could not be loaded. ${error.message}`} onRetry={reset} />;
}
