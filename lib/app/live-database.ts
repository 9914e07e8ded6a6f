/**
 * The live database of this process (web app or CLI): one Prisma client, created lazily
 * after the schema and first-start data are in place. Kept on globalThis because Next.js
 * may load this module in several bundles (instrumentation, route handlers, actions) and
 * they must share one client — a restore closes it and every bundle must see that.
 *
 * It sits in lib/app beside bootstrap.ts, not in lib/db: opening the live database runs the
 * app's first start (schema, family, admin), and lib/db stays a layer below the app.
 */
import { getEnv } from "../env.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../db/url.ts";
import { bootstrapDatabase } from "./bootstrap.ts";

type LiveState = { client?: Promise<Db>; bootstrapped?: Promise<unknown> };
const state: LiveState = ((globalThis as { __wimmLive?: LiveState }).__wimmLive ??= {});

export function liveTarget(): DatabaseTarget {
  return parseDatabaseUrl(getEnv().DATABASE_URL);
}

/** Schema + first-start family, once per process. */
export function ensureLiveDatabase(): Promise<unknown> {
  state.bootstrapped ??= bootstrapDatabase(liveTarget(), getEnv()).catch((error) => {
    state.bootstrapped = undefined;
    throw error;
  });
  return state.bootstrapped;
}

export async function getDb(): Promise<Db> {
  await ensureLiveDatabase();
  state.client ??= createPrismaClient(liveTarget()).catch((error) => {
    state.client = undefined;
    throw error;
  });
  return state.client;
}

/** Close the app's connections (before a restore replaces the database underneath). */
export async function closeDb(): Promise<void> {
  const client = state.client;
  state.client = undefined;
  if (client) await (await client).$disconnect().catch(() => undefined);
}
