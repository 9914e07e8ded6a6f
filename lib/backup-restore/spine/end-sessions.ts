/**
 * The last step of every recovery: end every session — those of the old data and any the
 * backup carried — and record what happened, in one transaction of its own. (A restore's
 * loader does the same inside its own transaction: engine/record-event.ts.)
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "../../db/url.ts";
import { endSessionsAndRecordPostgres, endSessionsAndRecordSqlite } from "../engine/record-event.ts";
import type { LoadEvent } from "../engine/records.ts";

export async function endSessionsAndRecord(live: DatabaseTarget, event: LoadEvent): Promise<void> {
  if (live.engine === "sqlite") {
    const db = new Database(live.path, { timeout: 15000 });
    try {
      db.transaction(() => endSessionsAndRecordSqlite(db, event))();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: live.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await endSessionsAndRecordPostgres(client, event);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}
