// Stripe's wire format for requests: form-encoded (bodies) or query strings (GET/DELETE) with
// nested keys (`a[b]=c`, `items[0][price]=p`, `expand[]=x`). A tiny parser keeps us free of `qs`.

import { ApiError } from "./errors";

export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export function parseForm(input: string): FormObject {
  const root: FormObject = {};
  if (input === "") return root;
  for (const pair of input.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    const path = splitKey(key);
    assign(root, path, value);
  }
  return root;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new ApiError(400, "invalid_request_error", `Invalid URL encoding: ${s.slice(0, 40)}`);
  }
}

function splitKey(key: string): string[] {
  const first = key.indexOf("[");
  if (first === -1) return [key];
  const parts = [key.slice(0, first)];
  const re = /\[([^\]]*)\]/g;
  for (const m of key.slice(first).matchAll(re)) parts.push(m[1] ?? "");
  return parts;
}

function assign(target: FormObject, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] ?? "";
    // `a[]` appends: give it the next free numeric index.
    const key = seg === "" && i > 0 ? String(Object.keys(node).length) : seg;
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    if (typeof existing === "object") {
      node = existing;
    } else {
      const child: FormObject = {};
      node[key] = child;
      node = child;
    }
  }
}

/** Items of an array-like form object (`x[0]`, `x[1]`, …) in index order. */
export function formList(value: FormValue | undefined): FormValue[] {
  if (value === undefined) return [];
  if (typeof value === "string") return value === "" ? [] : [value];
  return Object.keys(value)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => value[k])
    .filter((v): v is FormValue => v !== undefined);
}
