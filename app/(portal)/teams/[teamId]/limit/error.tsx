"use client";
import { ErrorState } from "@/app/_components/ui";

export default function LimitError({ error, reset }: { error: Error; reset: () => void }) {
  return <ErrorState message={`The spending limit could not be loaded. ${error.message}`} onRetry={reset} />;
}
