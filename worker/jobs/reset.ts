// The reset job: close every elapsed free billing cycle (SPEC §3.4).
import { resetDueFreeCycles } from "../../server/services/ledger";
import type { JobHandler } from "./types";

export const resetJob: JobHandler<"reset"> = (deps) => resetDueFreeCycles(deps);
