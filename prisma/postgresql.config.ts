// Prisma CLI configuration for the derived PostgreSQL schema (see prisma/sqlite.config.ts).
// The adapter connects to PRISMA_CLI_PG_URL only for commands that need a database.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { IntrospectionPool } from "../lib/db/pg-introspection-pool";

export default defineConfig({
  schema: "postgresql/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg(
      new IntrospectionPool({
        connectionString: process.env.PRISMA_CLI_PG_URL ?? "postgresql://localhost/postgres",
        // Let the CLI exit as soon as it is done instead of waiting out the idle timeout.
        allowExitOnIdle: true,
      }),
    ),
});
