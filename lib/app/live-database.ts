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
import { isRestoreInProgress } from "../backup-restore/spine/maintenance-lock.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../db/url.ts";
import { bootstrapDatabase } from "./bootstrap.ts";

type LiveState = { client?: Promise<Db>; bootstrapped?: Promise<unknown>; reads?: Set<AbortController> };
const state: LiveState = ((globalThis as { __wimmLive?: LiveState }).__wimmLive ??= {});
const liveReads = (state.reads ??= new Set());

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

/** A read of the live database on a connection of its own (see beginLiveRead). */
export type LiveRead = { signal: AbortSignal; end: () => void };

/**
 * Registers a read that runs on a connection of its own, outside the app's client (a CSV
 * export holding one snapshot while the browser downloads), so that closeDb ends it too:
 * its `signal` aborts, and the read must then stop with an error. Null while a restore holds
 * the maintenance lock: the check and the registration are one synchronous step, so a read
 * either is refused or is in the set when the restore's quiesce calls closeDb. The reader
 * calls `end` when it is over.
 */
export function beginLiveRead(): LiveRead | null {
  if (isRestoreInProgress(getEnv().WIMM_BACKUP_DIR)) return null;
  const controller = new AbortController();
  liveReads.add(controller);
  return { signal: controller.signal, end: () => liveReads.delete(controller) };
}

/**
 * Close the app's connections (before a restore replaces the database underneath): the
 * app's client, and every read registered with beginLiveRead, which ends with an error
 * rather than stream the data being replaced. (Nothing waits for those reads' transactions
 * to close: on SQLite their snapshots may stay beside the restore, and on PostgreSQL the
 * restore's DROP waits for their locks, released at their ROLLBACK a moment later.)
 */
export async function closeDb(): Promise<void> {
  for (const read of liveReads) read.abort(new Error("a restore is replacing the data"));
  liveReads.clear();
  const client = state.client;
  state.client = undefined;
  if (client) await (await client).$disconnect().catch(() => undefined);
}
