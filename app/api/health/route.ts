// GET /api/health: 200 when PostgreSQL and Redis answer, else 503 naming which one is down.
import { NO_STORE } from "@/server/http/errors";
import { checkHealth } from "@/server/http/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": NO_STORE, ...(health.status === "ok" ? {} : { "Retry-After": "5" }) },
  });
}
