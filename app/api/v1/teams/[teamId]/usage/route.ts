// GET /api/v1/teams/{teamId}/usage?from&to&cursor&limit: usage entries, newest first.
import { parseInput } from "@/server/http/body";
import { jsonResponse, methodNotAllowed, withMachineApi } from "@/server/http/machine-api";
import { teamParamsSchema } from "@/server/services/teams/provision";
import { listTeamUsage, usageQuerySchema } from "@/server/services/teams/usage";

export const dynamic = "force-dynamic";

export const GET = withMachineApi<{ teamId: string }>({ scope: "usage:read" }, async ({ request, params, deps }) => {
  const { teamId } = parseInput(teamParamsSchema, params);
  const query = parseInput(usageQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return jsonResponse(await listTeamUsage(deps.db, teamId, query));
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
