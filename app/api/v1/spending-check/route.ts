// POST /api/v1/spending-check: may this team start a workspace now?
import { parseInput, readJsonBody } from "@/server/http/body";
import { jsonResponse, methodNotAllowed, withMachineApi } from "@/server/http/machine-api";
import { checkSpending, spendingCheckSchema } from "@/server/services/spending";

export const dynamic = "force-dynamic";

export const POST = withMachineApi({ scope: "spending:read" }, async ({ request, deps }) => {
  const input = parseInput(spendingCheckSchema, await readJsonBody(request));
  return jsonResponse(await checkSpending(deps, input));
});

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
