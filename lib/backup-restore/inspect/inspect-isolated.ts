/**
 * Every read of an untrusted SQLite file happens in a child process with a time limit:
 * SQLite parses the file there, so a crafted file that makes it crash, balloon or spin costs
 * that child, not the web server or the CLI; past the limit it is killed and the file
 * refused. Four jobs: detect (does it open at all), validate (integrity check, schema,
 * preview, checksums), scan (the migration's pre-flight) and lines (the rows themselves, as
 * canonical COPY lines streamed to the restoring process, which never opens the file).
 */
import { spawn } from "node:child_process";
import type { Table } from "../../db/tables.ts";
import { splitLines, type LineSource } from "../engine/records.ts";
import type { BackupType } from "../vocabulary.ts";
import { inspectChildArgs } from "./child-command.ts";
import { sniffBackupType } from "./detect-backup-type.ts";
import type { Finding } from "./preflight.ts";
import {
  PROGRESS_PREFIX,
  type RowsChecked,
  type SqliteInspection,
  type readSqliteFacts,
} from "./inspect-sqlite-backup.ts";
import { log } from "../../log.ts";

/** WIMM_VALIDATE_TIMEOUT_S's default, for callers that pass no limit of their own. */
const DEFAULT_TIMEOUT_MS = 600_000;

export type IsolatedInspection =
  { ok: true; inspection: SqliteInspection } | { ok: false; reason: "timeout" | "crashed"; details: string };

export type IsolatedScan =
  { ok: true; findings: Finding[] } | { ok: false; reason: "timeout" | "crashed"; details: string };

/** Integrity check, schema, preview (and checksums) of an untrusted file, in a child process. */
export function inspectSqliteIsolated(
  file: string,
  options: { checksums?: boolean; timeoutMs?: number; onRows?: RowsChecked } = {},
): Promise<IsolatedInspection> {
  const progress = options.checksums && options.onRows ? ["--progress"] : [];
  return runChild<{ inspection: SqliteInspection }>(
    file,
    ["validate", ...(options.checksums ? ["--checksums"] : []), ...progress],
    options.timeoutMs,
    options.onRows,
  ).then((r) => (r.ok ? { ok: true, inspection: r.value.inspection } : r));
}

/** Pre-flight scan for a migration, in a child process (run beside the validation). */
export function scanSqliteIsolated(file: string, options: { timeoutMs?: number } = {}): Promise<IsolatedScan> {
  return runChild<{ findings: Finding[] }>(file, ["scan"], options.timeoutMs).then((r) =>
    r.ok ? { ok: true, findings: r.value.findings } : r,
  );
}

/**
 * The type of a path, as `detectBackupType` gives it, without opening a SQLite file in this
 * process: only a file whose bytes say SQLite is handed to a child to open.
 */
export async function detectBackupTypeIsolated(
  path: string,
  options: { timeoutMs?: number } = {},
): Promise<BackupType> {
  return (await describeSqliteIsolated(path, options)).type;
}

export type SqliteFacts = ReturnType<typeof readSqliteFacts>;

/** The type, and for a SQLite file what it says about itself (readSqliteFacts), read in the child. */
export async function describeSqliteIsolated(
  path: string,
  options: { timeoutMs?: number } = {},
): Promise<{ type: BackupType; facts?: SqliteFacts }> {
  const sniffed = sniffBackupType(path);
  if (sniffed !== "sqlite") return { type: sniffed };
  const r = await runChild<{ type: BackupType; facts?: SqliteFacts }>(path, ["detect"], options.timeoutMs);
  return r.ok ? r.value : { type: "unknown" };
}

/** The rows of an untrusted SQLite file, read by a child: a LineSource for the copy, and its end. */
export type IsolatedRows = {
  /** Tables must be asked for in TABLES order, sessions left out (as copyTablesToPostgres does). */
  source: LineSource;
  /** Resolves when the child has sent everything and exited cleanly; rejects otherwise. */
  finished: Promise<void>;
  /** Kills the child (after a failed copy, or when done); harmless once it has exited. */
  stop(): void;
};

export function readSqliteRowsIsolated(file: string, options: { timeoutMs: number; version: number }): IsolatedRows {
  const root = process.env.WIMM_ROOT ?? process.cwd();
  const child = spawnChild(root, file, ["lines", "--schema", String(options.version)]);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
  const finished = new Promise<void>((resolve, reject) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the SQLite reader stopped (${code ?? signal}) ${stderr.slice(-300)}`.trim()));
    });
  });
  finished.catch(() => undefined); // observed by the caller; never an unhandled rejection
  child.stdout.setEncoding("utf8");
  const lines = splitLines(child.stdout)[Symbol.asyncIterator]();
  async function* tableLines(table: Table): AsyncGenerator<string> {
    const header = await lines.next();
    if (header.done || header.value !== `#table ${table.name}`)
      throw new Error(`the SQLite reader sent ${header.done ? "nothing" : "another table"} for ${table.name}`);
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new Error(`the SQLite reader stopped in the middle of ${table.name}`);
      if (next.value === "\\.") return;
      yield next.value;
    }
  }
  return { source: tableLines, finished, stop: () => child.kill("SIGKILL") };
}

function spawnChild(root: string, file: string, mode: string[], stdin: "ignore" | "pipe" = "ignore") {
  const args = [...inspectChildArgs(root), file, ...mode];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WIMM_ROOT: root,
      WIMM_QUIET: "1",
    } as unknown as NodeJS.ProcessEnv,
  });
  // Nothing to say to a child that reads no keys: its stdin ends at once.
  if (stdin === "ignore") child.stdin.end();
  else child.stdin.on("error", () => undefined); // a child that exits early must not crash us
  return child;
}

const PROGRESS_LINE = new RegExp(`^${PROGRESS_PREFIX}(\\d{1,15}) (\\d{1,15})$`);

export type ChildResult<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "crashed"; details: string };

/**
 * `onRows`: the child's `#progress <done> <total>` lines on stderr, taken out of what is kept
 * of its stderr (which only a failure shows). A line that is not of that exact shape stays
 * in the text: the child is parsing an untrusted file, so what it says is only believed as
 * two numbers.
 */
export function runChild<T>(
  file: string,
  mode: string[],
  timeout?: number,
  onRows?: RowsChecked,
  /** Written to the child's stdin (secrets such as keys: never in its arguments, which `ps` shows). */
  input?: string,
): Promise<ChildResult<T>> {
  const root = process.env.WIMM_ROOT ?? process.cwd();
  const timeoutMs = timeout ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawnChild(root, file, mode, input === undefined ? "ignore" : "pipe");
    if (input !== undefined) child.stdin.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    let partial = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (!onRows) {
        if (stderr.length < 64 * 1024) stderr += d;
        return;
      }
      const lines = (partial + d).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const counts = PROGRESS_LINE.exec(line);
        if (counts) onRows(Number(counts[1]), Number(counts[2]));
        else if (stderr.length < 64 * 1024) stderr += line + "\n";
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        log("VALIDATE", `validation stopped after ${Math.round(timeoutMs / 1000)} s`);
        return resolve({
          ok: false,
          reason: "timeout",
          details: `validation took longer than ${Math.round(timeoutMs / 1000)} s`,
        });
      }
      stderr += partial;
      try {
        if (code !== 0) throw new Error(`exit ${code ?? signal}`);
        resolve({ ok: true, value: JSON.parse(stdout) as T });
      } catch (error) {
        log("VALIDATE", `validation process failed: ${(error as Error).message} ${stderr.slice(-500)}`);
        resolve({
          ok: false,
          reason: "crashed",
          details: `the validation process failed (${(error as Error).message})`,
        });
      }
    });
  });
}
