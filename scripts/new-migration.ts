// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the committed schema.prisma (git HEAD) and the working copy.
// (Prisma's own `migrate dev` needs the native engine binary; this uses the WASM engine.)
import { execFileSync } from "node:child_process";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffDatamodels, migrationsDir, schemaPath } from "../server/db/schema-engine";
import { databaseUrl } from "../server/config/env";
import { ensureDatabase } from "../server/db/admin";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
const existing = (await readdir(migrationsDir).catch(() => [])).filter((n) => /^\d{14}_/.test(n));
const previous = existing.length
  ? execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" })
  : null;
await ensureDatabase(databaseUrl());
const sql = await diffDatamodels(databaseUrl(), previous, await readFile(schemaPath, "utf8"));
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log("No schema changes.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, "migration.sql"), sql);
await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
process.exit(0);
