/**
 * The Prisma clients themselves, behind lib/db/client.ts, which imports this module only when a
 * client is asked for: the Prisma runtime, its Wasm query compiler and the driver adapters take
 * a few hundred milliseconds to load, which commands that never use a client (`wimm info`,
 * `wimm backup`) should not pay (scripts/build-cli.mjs puts this module in a chunk of its own).
 *
 * Two generated clients exist (one per provider) with identical APIs; the app is typed
 * against the SQLite one and the PostgreSQL client is cast to it here, and only here.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../generated/postgresql/client.ts";
import type { DatabaseTarget } from "./url.ts";
import type Database from "better-sqlite3";
import { registerUnicodeLike } from "./sqlite-unicode-like.ts";

/**
 * The better-sqlite3 adapter with a Unicode-aware LIKE on its connection (see
 * sqlite-unicode-like.ts). The adapter keeps its connection in a public `client` field; if a
 * Prisma upgrade moves it, this fails loudly at the first query instead of searching wrongly.
 */
class UnicodeLikeSqliteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const connection = (adapter as unknown as { client?: Database.Database }).client;
    if (typeof connection?.function !== "function") {
      throw new Error("the better-sqlite3 adapter no longer exposes its connection: cannot register like()");
    }
    registerUnicodeLike(connection);
    return adapter;
  }
}

type Db = InstanceType<typeof SqlitePrismaClient>;

export async function openPrismaClient(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Db> {
  if (target.engine === "sqlite") {
    const client = new SqlitePrismaClient({
      adapter: new UnicodeLikeSqliteAdapter({ url: `file:${target.path}`, timeout: 15000 }),
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
