/**
 * Every read of an untrusted SQLite file happens in a child process with a time limit:
 * SQLite parses the file there, so a crafted file that makes it crash, balloon or spin costs
 * that child, not the web server or the CLI; past the limit it is killed and the file
 * refused. Three jobs: detect (does it open at all), validate (integrity check, schema,
 * preview, checksums) and scan (the migration's pre-flight).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { BackupType } from "../vocabulary.ts";
import { sniffBackupType } from "./detect-backup-type.ts";
import type { Finding } from "./preflight.ts";
import type { SqliteInspection } from "./inspect-sqlite-backup.ts";
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
  options: { checksums?: boolean; timeoutMs?: number } = {},
): Promise<IsolatedInspection> {
  return runChild<{ inspection: SqliteInspection }>(
    file,
    ["validate", ...(options.checksums ? ["--checksums"] : [])],
    options.timeoutMs,
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
  const sniffed = sniffBackupType(path);
  if (sniffed !== "sqlite") return sniffed;
  const r = await runChild<{ type: BackupType }>(path, ["detect"], options.timeoutMs);
  return r.ok ? r.value.type : "unknown";
}

type ChildResult<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "crashed"; details: string };

function runChild<T>(file: string, mode: string[], timeout?: number): Promise<ChildResult<T>> {
  const root = process.env.WIMM_ROOT ?? process.cwd();
  const args = [
    "--no-warnings=ExperimentalWarning",
    "--import",
    `file://${join(root, "node_modules", "tsx", "dist", "loader.mjs")}`,
    join(root, "lib", "backup-restore", "inspect", "inspect-child.ts"),
    file,
    ...mode,
  ];
  const timeoutMs = timeout ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        WIMM_ROOT: root,
        WIMM_QUIET: "1",
      } as unknown as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
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
