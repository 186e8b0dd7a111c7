// Typed readers over parsed form params; each failure is a Stripe-shaped 400.
import { invalidParam, missingParam } from "./errors";
import { formList, type FormObject, type FormValue } from "./form";

export class Params {
  constructor(readonly raw: FormObject) {}

  optString(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidParam(name, `Invalid string: ${name} must be a string.`);
    return v;
  }

  string(name: string): string {
    const v = this.optString(name);
    if (v === undefined || v === "") throw missingParam(name);
    return v;
  }

  optInt(name: string): number | undefined {
    const v = this.optString(name);
    if (v === undefined || v === "") return undefined;
    if (!/^-?\d+$/.test(v)) throw invalidParam(name, `Invalid integer: ${v}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw invalidParam(name, `Invalid integer: ${v}`);
    return n;
  }

  optBool(name: string): boolean | undefined {
    const v = this.optString(name);
    if (v === undefined) return undefined;
    if (v === "true") return true;
    if (v === "false") return false;
    throw invalidParam(name, `Invalid boolean: ${v}`);
  }

  optObject(name: string): FormObject | undefined {
    const v = this.raw[name];
    if (v === undefined || v === "") return undefined;
    if (typeof v === "string") throw invalidParam(name, `Invalid object: ${name} must be a hash.`);
    return v;
  }

  child(name: string): Params {
    return new Params(this.optObject(name) ?? {});
  }

  list(name: string): FormValue[] {
    return formList(this.raw[name]);
  }

  stringList(name: string): string[] {
    return this.list(name).map((v) => {
      if (typeof v !== "string") throw invalidParam(name, `Invalid array: ${name} must be a list of strings.`);
      return v;
    });
  }

  /** Metadata as Stripe applies it: `metadata=""` clears, `metadata[k]=""` deletes k. */
  applyMetadata(current: Record<string, string>, name = "metadata"): Record<string, string> {
    const v = this.raw[name];
    if (v === undefined) return current;
    if (v === "") return {};
    if (typeof v === "string") throw invalidParam(name, "Invalid hash");
    const next = { ...current };
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== "string") throw invalidParam(`${name}[${k}]`, "Metadata values must be strings.");
      if (val === "") delete next[k];
      else next[k] = val;
    }
    return next;
  }
}
