// `npm run job -- <name> [json-payload]`: runs one job once in the foreground, through the same
// code path as the schedule, and exits non-zero when it fails.
import { appConfig } from "../server/config/config";
import { closeDb, db } from "../server/db/client";
import { systemClock } from "../server/lib/clock";
import { logger } from "../server/lib/logger";
import { isJobName, jobNames } from "../server/queue/jobs";
import { runJob } from "./runner";

const [name, payloadText] = process.argv.slice(2);
if (!name || !isJobName(name)) {
  console.error(`Usage: npm run job -- <${jobNames.join("|")}> [json payload]`);
  process.exit(2);
}
let exitCode = 0;
try {
  const payload: unknown = payloadText ? JSON.parse(payloadText) : {};
  const result = await runJob({ db: db(), config: appConfig(), clock: systemClock, logger }, name, payload, "manual");
  console.log(JSON.stringify({ job: name, runId: result.runId.toString(), counts: result.counts }));
} catch (error) {
  console.error(`Job ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await closeDb(db());
}
process.exit(exitCode);
