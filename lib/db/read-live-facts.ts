/**
 * What `wimm info` and start-up want to know of the live database, read with the engine's
 * own driver in one connection: no Prisma client, whose runtime takes longer to load than the
 * whole of `wimm info` may take (issue 16).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { SUPERUSER_SQL } from "./role-privileges.ts";
import type { DatabaseTarget } from "./url.ts";

export type LiveFacts = {
  /** app_meta's schema_version; 0 when the database has none yet. */
  schemaVersion: number;
  /** The family's name (the first family by id), or null before the first start made it. */
  familyName: string | null;
  /** The PostgreSQL role is a superuser (always false on SQLite). */
  superuser: boolean;
};

const SCHEMA_VERSION = "SELECT value FROM app_meta WHERE key = 'schema_version'";
const FAMILY_NAME = "SELECT name FROM families ORDER BY id LIMIT 1";

/** Reads an app database whose schema is in place (after bootstrapDatabase). */
export async function readLiveFacts(target: DatabaseTarget): Promise<LiveFacts> {
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    try {
      const version = db.prepare(SCHEMA_VERSION).get() as { value: string } | undefined;
      const family = db.prepare(FAMILY_NAME).get() as { name: string } | undefined;
      return { schemaVersion: toVersion(version?.value), familyName: family?.name ?? null, superuser: false };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const version = await client.query<{ value: string }>(SCHEMA_VERSION);
    const family = await client.query<{ name: string }>(FAMILY_NAME);
    const role = await client.query<{ su: boolean }>(SUPERUSER_SQL);
    return {
      schemaVersion: toVersion(version.rows[0]?.value),
      familyName: family.rows[0]?.name ?? null,
      superuser: role.rows[0]?.su === true,
    };
  } finally {
    await client.end();
  }
}

function toVersion(value: string | undefined): number {
  const n = Number(value ?? "0");
  return Number.isInteger(n) ? n : 0;
}
