import { PageSkeleton } from "@/app/_components/ui";

export default function Loading() {
  return <PageSkeleton label="Loading spending limit" sections={["h-48", "h-40"]} />;
}
