// Prisma CLI configuration for the SQLite schema. The "js" engine runs Prisma's Wasm
// schema engine through a driver adapter, so no native engine is ever downloaded
// (see shared/PRISMA.md: the download host is unreachable on our machines and in CI).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  schema: "schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaBetterSQLite3({ url: process.env.PRISMA_CLI_SQLITE_URL ?? "file:./.tmp/prisma-cli.sqlite3" }),
});
