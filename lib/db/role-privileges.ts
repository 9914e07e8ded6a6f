/**
 * Least privilege on PostgreSQL: the app's role should own its database and be nothing
 * more. A superuser can run programs on the database host (`COPY … TO PROGRAM`), read any
 * file the server can, and bypass every check a restore makes; it is never needed here.
 */
import pg from "pg";
import type { DatabaseTarget } from "./url.ts";

/** One row, `su`: whether the connected role is a superuser. */
export const SUPERUSER_SQL = "SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user";

/** True when the live database's role is a PostgreSQL superuser (never for SQLite). */
export async function isSuperuserRole(target: DatabaseTarget): Promise<boolean> {
  if (target.engine !== "postgresql") return false;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ su: boolean }>(SUPERUSER_SQL);
    return rows[0]?.su === true;
  } finally {
    await client.end();
  }
}

/** What `wimm info` and the logs say; the settings page says the same in the user's language. */
export const SUPERUSER_WARNING =
  "The app connects to PostgreSQL as a superuser. It needs only a role that owns its database: a superuser can run programs on the database server and bypasses the checks that protect a restore. Create an owner role (CREATE ROLE wimm LOGIN PASSWORD '…'; CREATE DATABASE wimm OWNER wimm;, see the README) and point DATABASE_URL at it.";
