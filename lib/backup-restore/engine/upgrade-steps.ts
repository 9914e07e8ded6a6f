/**
 * What both loaders do beyond loading a backup's rows at the backup's schema version (the
 * version contract, docs/ARCHITECTURE.md): write app_meta themselves, and, for an older
 * backup, prove that running the later migrations kept every row.
 *
 *   1. build the schema at the backup's version (its migrations only), load, verify every
 *      table against the backup's own checksums at that version;
 *   2. app_meta: only the keys this version knows that mean something in a live database
 *      are kept from the backup (schema 1's family_time_zone, which migration 2 moves into
 *      families); `app` and `schema_version` are the loader's own, `app_version` the running
 *      app's; anything else a backup held (its creation time, an unknown key) goes;
 *   3. run the later migrations (lib/db/migrate.ts), derived columns refilled;
 *   4. every table as it was at the backup's version, read through the columns that still
 *      exist, must hash exactly as before the migrations: an upgrade may add, never lose.
 * All of it inside the loader's one transaction, so a failure or a crash anywhere leaves the
 * live data exactly as it was.
 */
import { APP_VERSION } from "../../app-version.ts";
import { APP_ID } from "../../db/schema.ts";
import { tablesAt, type Table } from "../../db/tables.ts";

/** app_meta keys carried from a backup of each schema version (besides those the loader writes). */
const CARRIED_META_KEYS: Record<number, readonly string[]> = { 1: ["family_time_zone"], 2: [] };

export function carriedMetaKeys(version: number): readonly string[] {
  return CARRIED_META_KEYS[version] ?? [];
}

/** The app_meta key a backup file's copy gets (a SQLite backup); never carried into a live database. */
export const BACKUP_CREATED_AT_KEY = "backup_created_at";

/** The rows the loader writes into app_meta after the backup's (which it filters). */
export function loaderMetaRows(version: number): [string, string][] {
  return [
    ["app", APP_ID],
    ["schema_version", String(version)],
    ["app_version", APP_VERSION],
  ];
}

/**
 * The tables of schema `from` as they can still be read at schema `to`: each keeps the
 * columns that exist there with the same type. app_meta is rewritten by the migrations and
 * sessions are empty; neither is compared.
 */
export function survivingTables(from: number, to: number): Table[] {
  const later = new Map(tablesAt(to).map((t) => [t.name, t]));
  return tablesAt(from).flatMap((t) => {
    const next = later.get(t.name);
    if (!next || t.name === "app_meta" || t.name === "sessions") return [];
    const columns = t.columns.filter((c) => next.columns.some((n) => n.name === c.name && n.type === c.type));
    return [{ ...t, columns, derived: [] }];
  });
}
