import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection URL from here rather than from schema.prisma.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@localhost:5432/usage_portal" },
});
