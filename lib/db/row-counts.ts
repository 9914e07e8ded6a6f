import Database from "better-sqlite3";
import pg from "pg";
import { TABLES, q } from "./tables.ts";
import type { DatabaseTarget } from "./url.ts";

/** Rows per app table, read with the engine's own driver (no Prisma needed). */
export async function countRows(target: DatabaseTarget): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    try {
      for (const t of TABLES)
        counts[t.name] = (db.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
    return counts;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    for (const t of TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(t.name)}`);
      counts[t.name] = Number(rows[0]!.n);
    }
  } finally {
    await client.end();
  }
  return counts;
}
