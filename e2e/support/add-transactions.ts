import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseUrl } from "../../lib/db/url.ts";

/** Adds `n` transactions straight into the e2e database (the fixture's connection only reads). */
export async function addTransactions(databaseUrl: string, n: number, description = "bulk row"): Promise<void> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { timeout: 15000 });
    try {
      const at = new Date("2025-03-01T12:00:00Z").toISOString().replace("Z", "+00:00");
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO transactions (account_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
         SELECT (SELECT min(id) FROM accounts), (SELECT min(id) FROM users), -i, ? || ' ' || i, lower(?) || ' ' || i, ?, 0, ?
         FROM n`,
      ).run(n, description, description, at, at);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO transactions (account_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
       SELECT (SELECT min(id) FROM accounts), (SELECT min(id) FROM users), -i, $2 || ' ' || i, lower($2) || ' ' || i,
              '2025-03-01 12:00:00', false, now()
       FROM generate_series(1, $1) AS i`,
      [n, description],
    );
  } finally {
    await client.end();
  }
}
