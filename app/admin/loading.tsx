import { PageSkeleton } from "@/app/_components/ui";

export default function Loading() {
  return <PageSkeleton label="Loading" titleWidth="w-40" sections={["h-64"]} />;
}
