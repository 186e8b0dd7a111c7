"use client";
import { ErrorState } from "@/app/_components/ui";

export default function NotificationsError({ error, reset }: { error: Error; reset: () => void }) {
  return <ErrorState message={`Notifications could not be loaded. ${error.message}`} onRetry={reset} />;
}
