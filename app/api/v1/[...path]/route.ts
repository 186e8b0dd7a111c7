// Any other /api/v1 path: the API's JSON 404 rather than the app's HTML page.
import { errorResponse } from "@/server/http/errors";

export const dynamic = "force-dynamic";

function notFound(request: Request): Response {
  return errorResponse(404, "NOT_FOUND", `No API endpoint ${request.method} ${new URL(request.url).pathname}.`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
