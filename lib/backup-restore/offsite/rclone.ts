/**
 * Running rclone (Debian's package, from PATH) the way engine/pg-tools.ts runs pg_dump: never
 * through a shell, with a time limit, its words redacted before anyone sees them. rclone
 * finds its config file as it always does (RCLONE_CONFIG, then ~/.config/rclone); nothing
 * here writes one.
 */
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { runTool } from "../engine/pg-tools.ts";
import { redactRcloneText } from "./offsite-remote.ts";

/** Why an rclone run did not do its job; `notFound` when the remote said the file or folder is not there. */
export type RcloneFailure = {
  ok: false;
  code: "OFFSITE_RCLONE_MISSING" | "OFFSITE_TIMEOUT" | "OFFSITE_RCLONE_FAILED";
  details: string;
  notFound: boolean;
};
export type RcloneOutcome = { ok: true; stdout: string } | RcloneFailure;

// Errors only on stderr (no "config file not found" notice for an on-the-fly remote); one
// retry of the whole operation: a scheduled backup that fails is retried by the next one, and
// its failure is reported meanwhile, which beats a copy that hangs for a quarter of an hour.
const COMMON_FLAGS = [
  "--quiet",
  "--retries",
  "1",
  "--low-level-retries",
  "3",
  "--contimeout",
  "30s",
  "--timeout",
  "120s",
];

const NOT_FOUND = /not found|doesn't exist|does not exist|no such file|404/i;

function failure(remote: string, code: RcloneFailure["code"], stderr: string): RcloneFailure {
  // The last lines say why; the earlier ones are the attempts that led there.
  const lines = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
  const details = redactRcloneText(lines || "rclone failed without saying why", remote).slice(0, 600);
  return { ok: false, code, details, notFound: NOT_FOUND.test(stderr) };
}

function missing(error: unknown): RcloneFailure | null {
  return (error as NodeJS.ErrnoException).code === "ENOENT"
    ? {
        ok: false,
        code: "OFFSITE_RCLONE_MISSING",
        details: "rclone is not installed (apt-get install rclone)",
        notFound: false,
      }
    : null;
}

/** `rclone <args>` with the common flags; `remote` is only for redacting what it prints. */
export async function runRclone(
  remote: string,
  args: string[],
  options: { timeoutMs: number; captureStdout?: boolean },
): Promise<RcloneOutcome> {
  try {
    const r = await runTool("rclone", [...args, ...COMMON_FLAGS], {
      timeoutMs: options.timeoutMs,
      captureStdout: options.captureStdout === true,
    });
    if (r.timedOut)
      return failure(remote, "OFFSITE_TIMEOUT", `time limit ${Math.round(options.timeoutMs / 1000)} s\n${r.stderr}`);
    if (r.code !== 0) return failure(remote, "OFFSITE_RCLONE_FAILED", r.stderr || `exit code ${r.code}`);
    return { ok: true, stdout: r.stdout };
  } catch (error) {
    const m = missing(error);
    if (m) return m;
    throw error;
  }
}

/**
 * `rclone <args>` whose stdout is read as a stream (`rclone cat`: the bytes read back, hashed or
 * stored as they arrive, memory flat). `result` settles when the process ends; a consumer that
 * stops reading early must call `stop`.
 */
export function streamRclone(
  remote: string,
  args: string[],
  timeoutMs: number,
): { stdout: Readable; result: Promise<RcloneOutcome>; stop: () => void } {
  const child = spawn("rclone", [...args, ...COMMON_FLAGS], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  }, timeoutMs);
  const result = new Promise<RcloneOutcome>((resolve) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve(missing(error) ?? failure(remote, "OFFSITE_RCLONE_FAILED", error.message));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut)
        resolve(failure(remote, "OFFSITE_TIMEOUT", `time limit ${Math.round(timeoutMs / 1000)} s\n${stderr}`));
      else if (code !== 0) resolve(failure(remote, "OFFSITE_RCLONE_FAILED", stderr || `exit code ${code}`));
      else resolve({ ok: true, stdout: "" });
    });
  });
  return { stdout: child.stdout, result, stop: () => child.kill("SIGTERM") };
}
