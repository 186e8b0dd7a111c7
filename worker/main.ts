// `npm run worker`: the BullMQ worker process (see worker.ts).
import { loadConfigFile } from "../server/config/config";
import { queuePrefix, redisUrl } from "../server/config/env";
import { closeDb, db } from "../server/db/client";
import { systemClock } from "../server/lib/clock";
import { logger } from "../server/lib/logger";
import { startWorker } from "./worker";

const config = loadConfigFile();
const worker = await startWorker({
  db: db(),
  config,
  clock: systemClock,
  logger,
  redisUrl: redisUrl(),
  prefix: queuePrefix(),
  port: Number(process.env.WORKER_PORT ?? 9464),
});
console.log(`Worker running; health and metrics on http://localhost:${worker.port}/health and /metrics`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "received shutdown signal");
  await worker.close();
  await closeDb(db());
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
