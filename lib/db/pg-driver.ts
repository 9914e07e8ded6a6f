/**
 * The pg driver, loaded on first use. Loading it costs about 50 ms (it builds a fetch
 * `Response`, which pulls in undici), and every CLI command paid that at start-up, SQLite or
 * not, because a dozen modules imported it at the top. `wimm info` and `wimm backup` on
 * SQLite never open a PostgreSQL connection, so they should not load it (issue 16).
 */
import type pg from "pg";

let driver: Promise<typeof pg> | undefined;

export function loadPg(): Promise<typeof pg> {
  driver ??= import("pg").then((module) => module.default);
  return driver;
}

/** A client for one connection, not yet connected (`new pg.Client(config)`). */
export async function createPgClient(config: string | pg.ClientConfig): Promise<pg.Client> {
  const { Client } = await loadPg();
  return new Client(config);
}
