/**
 * A built server of a spec's own, beside the project servers: for a spec that needs settings
 * the project servers must not have (a schedule that fires, an off-site remote), with its own
 * database, folders and port. e2e/support/serve.ts (fresh database, seed, `npm start`) runs
 * in a process group of its own, so that stopping it stops `next start` too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { ADMIN, MEMBER } from "./e2e-env.ts";

const root = join(import.meta.dirname, "..", "..");

export type OwnInstance = { engine: "sqlite" | "postgresql"; port: number; workDir: string; databaseUrl: string };

export type OwnServer = { instance: OwnInstance; process: ChildProcess; log: () => string; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts the server with the usual e2e logins and folders under `workDir`, plus `env`. */
export function startOwnServer(instance: OwnInstance, family: string, env: Record<string, string>): OwnServer {
  const child = spawn("node", ["--no-warnings=ExperimentalWarning", "--import", "tsx", "e2e/support/serve.ts"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: instance.databaseUrl,
      PORT: String(instance.port),
      WIMM_ADMIN_PASSWORD: ADMIN.password,
      WIMM_MEMBER_PASSWORD: MEMBER.password,
      WIMM_FAMILY_NAME: family,
      WIMM_BACKUP_DIR: join(instance.workDir, "backups"),
      WIMM_UPLOAD_DIR: join(instance.workDir, "uploads"),
      WIMM_BACKUP_SCHEDULE: "off",
      WIMM_ALERT_EMAILS: "",
      WIMM_ALERT_WEBHOOK: "",
      DEMO_MODE: "",
      NODE_ENV: "production",
      ...env,
    },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  return {
    instance,
    process: child,
    log: () => stderr,
    stop: async () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    },
  };
}

export async function waitUntilUp(server: OwnServer): Promise<void> {
  const { port } = server.instance;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null)
      throw new Error(`the server exited (${server.process.exitCode}): ${server.log().slice(-2000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/login`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server on port ${port} did not start: ${server.log().slice(-2000)}`);
}
