// A real HTTP server for route-handler tests: node:http on port 0 dispatching to the exported
// App Router handlers with standard `Request` objects (streamed bodies, real headers) and
// `{ params: Promise<…> }` as Next 16 passes them. Tests talk to it with `fetch`, exactly as a
// client of the deployed app would; only Next's own routing is replaced by the patterns below.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", unknown>>;

export interface RouteEntry {
  /** e.g. "/api/v1/teams/[teamId]/usage" or "/api/v1/[...path]" (App Router folder syntax). */
  path: string;
  module: RouteModule;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

function matcher(pattern: string): (pathname: string) => Record<string, string | string[]> | null {
  const parts = pattern.split("/").filter(Boolean);
  return (pathname) => {
    const segments = pathname.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
    const params: Record<string, string | string[]> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? "";
      const catchAll = /^\[\.\.\.(\w+)\]$/.exec(part);
      if (catchAll?.[1]) {
        if (segments.length <= i) return null;
        params[catchAll[1]] = segments.slice(i);
        return params;
      }
      const segment = segments[i];
      if (segment === undefined) return null;
      const dynamic = /^\[(\w+)\]$/.exec(part);
      if (dynamic?.[1]) params[dynamic[1]] = segment;
      else if (part !== segment) return null;
    }
    return segments.length === parts.length ? params : null;
  };
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  const body = Buffer.from(await response.arrayBuffer());
  res.end(body);
}

/** Starts the server; routes are tried most specific first (static parts before dynamic ones). */
export async function startRouteServer(routes: RouteEntry[]): Promise<TestServer> {
  const ordered = [...routes].sort((a, b) => specificity(b.path) - specificity(a.path));
  const compiled = ordered.map((r) => ({ match: matcher(r.path), module: r.module }));
  const server = createServer((req, res) => {
    void (async () => {
      const origin = `http://${req.headers.host ?? "localhost"}`;
      const pathname = new URL(req.url ?? "/", origin).pathname;
      for (const route of compiled) {
        const params = route.match(pathname);
        if (!params) continue;
        const handler = route.module[(req.method ?? "GET") as keyof RouteModule];
        if (typeof handler !== "function") {
          res.statusCode = 405;
          res.end();
          return;
        }
        const response = await (handler as Handler)(toRequest(req, origin), { params: Promise.resolve(params) });
        await writeResponse(res, response);
        return;
      }
      res.statusCode = 404;
      res.end();
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function specificity(path: string): number {
  return path
    .split("/")
    .filter(Boolean)
    .reduce((score, part) => score * 3 + (part.startsWith("[...") ? 0 : part.startsWith("[") ? 1 : 2), 1);
}
