import { Skeleton } from "@/app/_components/ui";

export default function Loading() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-7 w-40" label="Loading usage" />
      <div className="grid gap-4 md:grid-cols-3">
        <Skeleton className="h-36 md:col-span-2" />
        <Skeleton className="h-36" />
      </div>
      <Skeleton className="h-72" />
      <Skeleton className="h-96" />
    </div>
  );
}
