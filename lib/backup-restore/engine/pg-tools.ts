/**
 * Running pg_dump and pg_restore: found on disk (the newest installed major first), never
 * through a shell, with a time limit, the password passed in the environment rather than on
 * the command line, and their versions checked against the server's.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import pg from "pg";
import { log } from "../../log.ts";

export type PgTool = "pg_dump" | "pg_restore";

/** The application_name of every connection a restore makes, so recovery can find leftovers. */
export const RESTORE_APPLICATION_NAME = "wimm-restore";

export function findPgTool(tool: PgTool): string {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const majors = readdirSync(base)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const path = `${base}/${major}/bin/${tool}`;
      if (existsSync(path)) return path;
    }
  }
  return tool; // from PATH
}

export type RunResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
};

/** Connection pieces for libpq tools: URL without the password + PGPASSWORD. */
export function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export function runTool(
  command: string,
  args: string[],
  options: {
    timeoutMs: number;
    env?: NodeJS.ProcessEnv;
    captureStdout?: boolean;
    /** Called with each chunk of stderr as it arrives (progress, test hooks). */
    onStderr?: (text: string) => void;
  },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => {
      if (options.captureStdout && stdout.length < 64 * 1024 * 1024) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString("utf8");
      if (stderr.length < 256 * 1024) stderr += text;
      options.onStderr?.(text);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

export async function toolMajorVersion(tool: PgTool): Promise<number | null> {
  try {
    const r = await runTool(findPgTool(tool), ["--version"], { timeoutMs: 10_000, captureStdout: true });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function serverMajorVersion(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    const major = Math.floor(Number(rows[0]?.v) / 10000);
    if (!Number.isInteger(major) || major <= 0) throw new Error(`unreadable server version "${rows[0]?.v}"`);
    return major;
  } finally {
    await client.end();
  }
}

export class PgToolsTooOld extends Error {}

/** pg_dump/pg_restore must be at least the server's major version. */
export async function checkPgTools(url: string, tools: PgTool[]): Promise<void> {
  const server = await serverMajorVersion(url);
  for (const tool of tools) {
    const major = await toolMajorVersion(tool);
    if (major === null)
      throw new PgToolsTooOld(`${tool} was not found; install the PostgreSQL ${server} client tools.`);
    if (major < server) {
      throw new PgToolsTooOld(
        `${tool} is version ${major} but the server runs PostgreSQL ${server}; install the PostgreSQL ${server} client tools.`,
      );
    }
    log("PG_TOOLS", `${tool} ${major} ok for server ${server}`);
  }
}
