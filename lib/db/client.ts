/**
 * The one place that creates Prisma clients. The app, the CLI, the restore code and the
 * tests all get their clients here, for any target (the live database, a scratch file, a
 * second PostgreSQL database), so the engine is decided once, from the URL.
 *
 * Two generated clients exist (one per provider) with identical APIs; the app is typed
 * against the SQLite one and the PostgreSQL client is cast to it here, and only here.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../generated/postgresql/client.ts";
import type { DatabaseTarget } from "./url.ts";

export type Db = InstanceType<typeof SqlitePrismaClient>;

export async function createPrismaClient(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Db> {
  if (target.engine === "sqlite") {
    const client = new SqlitePrismaClient({
      adapter: new PrismaBetterSQLite3({ url: `file:${target.path}`, timeout: 15000 }),
    });
    // The adapter opens a single better-sqlite3 connection, so a connection-level PRAGMA
    // set once holds for every later query. SQLite leaves foreign keys off by default.
    await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
    await client.$queryRawUnsafe("PRAGMA busy_timeout = 15000");
    return client;
  }
  const client = new PostgresPrismaClient({
    adapter: new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 }),
  });
  return client as unknown as Db;
}
