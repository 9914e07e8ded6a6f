/**
 * The last step of every restore (and of every recovery): end every session — those of the
 * old data and any the backup carried — and record what happened, in one transaction.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "../../db/url.ts";

export async function endSessionsAndRecord(
  live: DatabaseTarget,
  event: { kind: string; message: string; details?: string },
): Promise<void> {
  if (live.engine === "sqlite") {
    const db = new Database(live.path, { timeout: 15000 });
    try {
      db.transaction(() => {
        db.prepare("DELETE FROM sessions").run();
        db.prepare("INSERT INTO events (kind, message, details, created_at) VALUES (?, ?, ?, ?)").run(
          event.kind,
          event.message,
          event.details ?? null,
          new Date().toISOString().replace("Z", "+00:00"), // as Prisma writes DateTime
        );
      })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: live.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("DELETE FROM sessions");
    await client.query("INSERT INTO events (kind, message, details) VALUES ($1, $2, $3)", [
      event.kind,
      event.message,
      event.details ?? null,
    ]);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}
