// POST /api/v1/workspace-events: a batch of up to 1000 workspace events → 202 { accepted, duplicates }.
import { parseInput, readJsonBody } from "@/server/http/body";
import { jsonResponse, methodNotAllowed, withMachineApi } from "@/server/http/machine-api";
import { ingestWorkspaceEvents, workspaceEventBatchSchema } from "@/server/services/ingest";

export const dynamic = "force-dynamic";

export const POST = withMachineApi({ scope: "events:write" }, async ({ request, deps }) => {
  const batch = parseInput(workspaceEventBatchSchema, await readJsonBody(request), "events");
  return jsonResponse(await ingestWorkspaceEvents(deps, batch.events), 202);
});

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
