// Reading JSON request bodies with a hard size cap. A declared Content-Length over the cap is
// refused before reading anything; otherwise bytes are counted as they stream in and reading stops
// (the stream is cancelled) as soon as the cap is passed, so a client can't make us buffer more.
import type { z } from "zod";
import { HttpError } from "./errors";

/** SPEC §5: bodies over 1 MiB are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

// The rest of the body is never read; closing the connection keeps the client from reusing a
// socket whose request was abandoned halfway.
function tooLarge(): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB).`, { maxBytes: MAX_BODY_BYTES }, {
    Connection: "close",
  });
}

export function assertJsonContentType(request: Request): void {
  const type = request.headers.get("content-type");
  const mediaType = type?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json" && !(mediaType?.startsWith("application/") && mediaType.endsWith("+json"))) {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json).", {
      contentType: type ?? null,
    });
  }
}

export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Content type → size cap → UTF-8 → JSON.parse; each failure is its own status. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  assertJsonContentType(request);
  const bytes = await readBodyBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "INVALID_JSON", "The request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, "INVALID_JSON", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export interface FieldIssue {
  field: string;
  reason: string;
  index?: number;
}

/** zod issues as `{ field, reason }` (plus `index` for `events.<i>.…` paths). */
export function describeZodIssues(error: z.ZodError, indexedArray?: string): FieldIssue[] {
  // An unknown key is reported as its own field ("username": unknown field), so a typo is obvious.
  const flat = error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: "unknown field (check the spelling against the API)" }))
      : [{ path: issue.path, message: issue.message }],
  );
  return flat.map((issue) => {
    const path = issue.path.map(String);
    if (indexedArray && path[0] === indexedArray && path.length >= 2 && /^\d+$/.test(path[1] ?? "")) {
      const rest = path.slice(2).join(".");
      return { index: Number(path[1]), field: rest || "(event)", reason: issue.message };
    }
    return { field: path.join(".") || "(body)", reason: issue.message };
  });
}

/** Parses `input` with `schema`, or throws a 400 naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, indexedArray?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HttpError(400, "INVALID_INPUT", "The request is invalid; see details for each field.", describeZodIssues(result.error, indexedArray));
  }
  return result.data;
}
