/**
 * Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the SQLite source of
 * truth). Only the generator output and the datasource differ; the models are copied as
 * they are. `--check` exits 1 when the committed derived file is out of date.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { deriveSchema } from "../lib/db/derive-schema";

const root = join(import.meta.dirname, "..");
const source = readFileSync(join(root, "prisma/schema.prisma"), "utf8");
const target = join(root, "prisma/postgresql/schema.prisma");
const derived = deriveSchema(source, "postgresql");

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    /* missing counts as drift */
  }
  if (current !== derived) {
    console.error("[SCHEMA] prisma/postgresql/schema.prisma is out of date: run `npm run generate`");
    process.exit(1);
  }
  console.error("[SCHEMA] derived schema up to date");
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, derived);
  console.error("[SCHEMA] wrote prisma/postgresql/schema.prisma");
}
