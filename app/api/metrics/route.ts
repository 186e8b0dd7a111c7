import { metricsRegistry } from "@/server/lib/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition for the web app. */
export async function GET() {
  return new Response(await metricsRegistry.metrics(), { headers: { "content-type": metricsRegistry.contentType } });
}
