/**
 * Reading the e2e database from a spec, with the engine's own driver: what the UI claims is
 * checked against the rows themselves. Placeholders are `?` on both engines.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseUrl } from "../../lib/db/url.ts";
import { assertLocalDatabase } from "./assert-local-database.ts";

export type E2eDatabase = {
  engine: "sqlite" | "postgresql";
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T>;
  close(): Promise<void>;
};

export async function openDatabase(url: string): Promise<E2eDatabase> {
  assertLocalDatabase(url);
  const target = parseDatabaseUrl(url);
  let rows: E2eDatabase["rows"];
  let close: () => Promise<void>;
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { readonly: true, fileMustExist: true, timeout: 15000 });
    db.defaultSafeIntegers(true); // amounts are 64-bit: read them as BigInt
    rows = async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[];
    close = async () => {
      db.close();
    };
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    rows = async <T>(sql: string, params: unknown[] = []) => {
      let i = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++i}`),
          params,
        )
      ).rows as T[];
    };
    close = () => client.end();
  }
  return {
    engine: target.engine,
    rows,
    async one<T>(sql: string, params?: unknown[]) {
      const [row] = await rows<T>(sql, params);
      if (row === undefined) throw new Error(`no row for: ${sql}`);
      return row;
    },
    close,
  };
}

/** Integers as BigInt, whatever the driver returned (number, bigint or numeric string). */
export const toBigInt = (value: unknown): bigint => BigInt(value === null ? 0 : String(value));
