// PUT /api/v1/teams/{teamId}: create or update a team (201 created, 200 updated).
import { readJsonBody, parseInput } from "@/server/http/body";
import { jsonResponse, methodNotAllowed, withMachineApi } from "@/server/http/machine-api";
import { provisionTeam, teamParamsSchema, teamUpsertSchema } from "@/server/services/teams/provision";

export const dynamic = "force-dynamic";

export const PUT = withMachineApi<{ teamId: string }>({ scope: "teams:write" }, async ({ request, params, principal, deps }) => {
  const { teamId } = parseInput(teamParamsSchema, params);
  const input = parseInput(teamUpsertSchema, await readJsonBody(request));
  const { created, team } = await provisionTeam(deps, teamId, input, { kind: "API_KEY", id: principal.id });
  return jsonResponse(team, created ? 201 : 200);
});

export const GET = methodNotAllowed("PUT");
export const POST = methodNotAllowed("PUT");
export const PATCH = methodNotAllowed("PUT");
export const DELETE = methodNotAllowed("PUT");
