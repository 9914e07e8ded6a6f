/**
 * The last statements of every load and of every recovery: end every session and record
 * what happened in the events table, on the caller's connection, inside its transaction.
 */
import type Database from "better-sqlite3";
import type pg from "pg";
import type { LoadEvent } from "./records.ts";

export function endSessionsAndRecordSqlite(db: Database.Database, event: LoadEvent): void {
  db.prepare("DELETE FROM sessions").run();
  db.prepare("INSERT INTO events (kind, message, details, created_at) VALUES (?, ?, ?, ?)").run(
    event.kind,
    event.message,
    event.details ?? null,
    new Date().toISOString().replace("Z", "+00:00"), // as Prisma writes DateTime
  );
}

export async function endSessionsAndRecordPostgres(client: pg.ClientBase, event: LoadEvent): Promise<void> {
  await client.query("DELETE FROM sessions");
  await client.query("INSERT INTO events (kind, message, details) VALUES ($1, $2, $3)", [
    event.kind,
    event.message,
    event.details ?? null,
  ]);
}
