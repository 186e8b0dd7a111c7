import { PageSkeleton } from "@/app/_components/ui";

export default function Loading() {
  return <PageSkeleton label="Loading members" titleWidth="w-32" sections={["h-64"]} />;
}
