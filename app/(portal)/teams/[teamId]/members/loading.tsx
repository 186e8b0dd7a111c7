import { Skeleton } from "@/app/_components/ui";

export default function Loading() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-7 w-32" label="Loading members" />
      <Skeleton className="h-64" />
    </div>
  );
}
