// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (creating the database if needed).
import { applyMigrations } from "../server/db/schema-engine";
import { ensureDatabase } from "../server/db/admin";
import { databaseUrl } from "../server/config/env";

const url = databaseUrl();
await ensureDatabase(url);
const applied = await applyMigrations(url);
console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
// The WASM engine leaves a runtime timer alive for several seconds after its work is done.
process.exit(0);
