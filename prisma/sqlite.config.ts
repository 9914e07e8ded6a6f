// Prisma CLI configuration for the SQLite schema. The "js" engine runs Prisma's Wasm
// schema engine through a driver adapter, so no native engine is ever downloaded
// (see docs/ARCHITECTURE.md, "Prisma on these machines": the download host is unreachable here and in CI).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  schema: "schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaBetterSQLite3({ url: process.env.PRISMA_CLI_SQLITE_URL ?? "file:./.tmp/prisma-cli.sqlite3" }),
});
