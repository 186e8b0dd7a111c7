// Before the e2e app starts: a fresh database, migrated and seeded.
import { dropDatabase, ensureDatabase } from "../../server/db/admin";
import { applyMigrations } from "../../server/db/schema-engine";
import { closeDb, createDb } from "../../server/db/client";
import { seed } from "../../prisma/seed";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL must point at the e2e database");
await dropDatabase(url);
await ensureDatabase(url);
await applyMigrations(url);
const db = createDb(url, 2);
const { instances } = await seed(db);
await closeDb(db);
console.log(`e2e database ready (${instances} instances)`);
process.exit(0);
