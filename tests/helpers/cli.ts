/**
 * Runs the real `./bin/wimm` as a child process, the way an operator or cron would: only
 * the environment given here (plus PATH/HOME), so the test's own DATABASE_URL or passwords
 * never leak in. stdout is the command's JSON; stderr its log lines.
 */
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const WIMM_BIN = join(REPO_ROOT, "bin", "wimm");

/** `timedOut`: killed by the time limit; `stderr` then ends with the process tree it left (what hung). */
export type CliResult = { code: number | null; stdout: string; stderr: string; json: unknown; timedOut?: boolean };

/** The processes under `pid`, with their state and age: what a command that ran out of time was waiting on. */
function processTree(pid: number): string {
  try {
    const rows = execFileSync("ps", ["-eo", "pid=,ppid=,stat=,etime=,args="], { encoding: "utf8" })
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length >= 5);
    const under = new Set([String(pid)]);
    for (let grew = true; grew;) {
      grew = false;
      for (const f of rows)
        if (under.has(f[1]!) && !under.has(f[0]!)) {
          under.add(f[0]!);
          grew = true;
        }
    }
    return rows
      .filter((f) => under.has(f[0]!))
      .map((f) => f.join(" "))
      .join("\n");
  } catch (error) {
    return `(ps failed: ${(error as Error).message})`;
  }
}

export function runWimm(
  args: string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(WIMM_BIN, args, {
      cwd: REPO_ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) stderr += `\n[TEST] time limit reached; processes left:\n${processTree(child.pid)}\n`;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 50_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      let json: unknown = undefined;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        /* not JSON: the assertions on `json` will say so */
      }
      resolve({ code, stdout, stderr, json, ...(timedOut ? { timedOut } : {}) });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
