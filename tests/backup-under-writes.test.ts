/**
 * A backup taken while another process writes continuously is a consistent point in time:
 * it passes the integrity check and holds exactly the writer's first K rows for some K —
 * no gap, no half-written row — on SQLite (VACUUM INTO) and PostgreSQL (pg_dump snapshot).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createPostgresTarget, createTarget, createTempDir, enginesUnderTest, querySql } from "./helpers/databases.ts";
import { findPgTool, runTool } from "../lib/backup-restore/engine/pg-tools.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

/** A separate Node process inserting one transaction per statement, as fast as it can. */
function startWriter(target: DatabaseTarget): ChildProcess {
  const script =
    target.engine === "sqlite"
      ? `const D=require("better-sqlite3");const db=new D(process.argv[1],{timeout:15000});
         const s=db.prepare("INSERT INTO transactions (account_id,user_id,amount_cents,description,search_text,occurred_at,reconciled,created_at) VALUES (1,1,?,?,?,?,0,?)");
         let i=0;const now=new Date().toISOString().replace("Z","+00:00");
         setInterval(()=>{for(let k=0;k<20;k++){i++;s.run(i,"writer "+i,"writer "+i,now,now);}},1);`
      : `const {Client}=require("pg");const c=new Client({connectionString:process.argv[1]});
         (async()=>{await c.connect();let i=0;for(;;){i++;await c.query("INSERT INTO transactions (account_id,user_id,amount_cents,description,search_text,occurred_at,reconciled,created_at) VALUES (1,1,$1,$2,$2,now(),false,now())",[i,"writer "+i]);}})();`;
  return spawn(process.execPath, ["-e", script, target.engine === "sqlite" ? target.path : target.url], {
    cwd: join(import.meta.dirname, ".."),
    stdio: "ignore",
  });
}

/** The writer's rows in a backup: their amounts must be exactly 1..K. */
async function writerRows(file: string, engine: string): Promise<{ count: number; max: number }> {
  if (engine === "sqlite") {
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      return db
        .prepare(
          "SELECT count(*) AS count, coalesce(max(amount_cents), 0) AS max FROM transactions WHERE description LIKE 'writer %'",
        )
        .get() as { count: number; max: number };
    } finally {
      db.close();
    }
  }
  // Restore the dump into a scratch database and count there.
  const scratch = await createPostgresTarget("wimm_scratch");
  try {
    if (scratch.target.engine !== "postgresql") throw new Error("unreachable");
    const r = await runTool(
      findPgTool("pg_restore"),
      ["--no-owner", "--no-acl", "--dbname", scratch.target.url, file],
      {
        timeoutMs: 60_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const [row] = await querySql<{ count: string; max: string }>(
      scratch.target,
      "SELECT count(*) AS count, coalesce(max(amount_cents), 0) AS max FROM transactions WHERE description LIKE 'writer %'",
    );
    return { count: Number(row!.count), max: Number(row!.max) };
  } finally {
    await scratch.cleanup();
  }
}

describe.each(enginesUnderTest)("backups under continuous writes on %s", (engine) => {
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let writer: ChildProcess | undefined;
  const tmp = createTempDir("wimm-bw-");

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 20000, memberPassword: "member-password-1" });
  });
  afterAll(async () => {
    writer?.kill("SIGKILL");
    await cleanup();
    tmp.cleanup();
  });

  it("each backup is a consistent point in time", async () => {
    writer = startWriter(live);
    await new Promise((r) => setTimeout(r, 500));
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const file = await createBackup(live, { dir: join(tmp.dir, "backups") });
      const rows = await writerRows(file.path, engine);
      expect(rows.count).toBe(rows.max); // amounts 1..K, no gap
      seen.push(rows.count);
    }
    writer.kill("SIGKILL");
    // The writer really was writing while we backed up.
    expect(seen[seen.length - 1]!).toBeGreaterThan(seen[0]!);
    expect(seen[0]!).toBeGreaterThan(0);
    void parseDatabaseUrl;
  });
});
