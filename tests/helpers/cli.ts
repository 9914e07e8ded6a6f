/**
 * Runs the real `./bin/wimm` as a child process, the way an operator or cron would: only
 * the environment given here (plus PATH/HOME), so the test's own DATABASE_URL or passwords
 * never leak in. stdout is the command's JSON; stderr its log lines.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const WIMM_BIN = join(REPO_ROOT, "bin", "wimm");

export type CliResult = { code: number | null; stdout: string; stderr: string; json: unknown };

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
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 50_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      let json: unknown = undefined;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        /* not JSON: the assertions on `json` will say so */
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
