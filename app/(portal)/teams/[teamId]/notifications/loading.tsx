import { Skeleton } from "@/app/_components/ui";

export default function Loading() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-7 w-48" label="Loading notifications" />
      <Skeleton className="h-48" />
      <Skeleton className="h-40" />
    </div>
  );
}
