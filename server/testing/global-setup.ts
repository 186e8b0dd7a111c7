// Vitest global setup: one migrated template database per test run. Test files clone it
// (CREATE DATABASE … TEMPLATE) through useTestDatabase(), so each file has its own isolated data.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase } from "../db/admin";
import { applyMigrations } from "../db/schema-engine";
import { databaseUrl } from "../config/env";

export default async function setup(project: TestProject) {
  const base = new URL(databaseUrl());
  base.pathname = `/usage_test_tpl_${randomBytes(4).toString("hex")}`;
  const templateUrl = base.toString();
  await ensureDatabase(templateUrl);
  await applyMigrations(templateUrl);
  project.provide("templateDatabaseUrl", templateUrl);
  return async () => {
    await dropDatabase(templateUrl);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}
