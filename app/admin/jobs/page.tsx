import { JobRuns } from "../_components/job-runs";

export const metadata = { title: "Job runs" };

export default function JobsPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Job runs</h1>
      <JobRuns />
    </>
  );
}
