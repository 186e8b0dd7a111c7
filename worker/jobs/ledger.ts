// The ledger job: reconcile usage from the last successful watermark (SPEC §3.3).
import { reconcileUsage } from "../../server/services/ledger";
import type { JobHandler } from "./types";

export const ledgerJob: JobHandler<"ledger"> = (deps) => reconcileUsage(deps);
