/**
 * Real remotes on loopback for the off-site tests, started by the tests themselves and stopped
 * by their `stop()`: an SFTP server (Debian's openssh-server, `sshd -D` with a config, host key
 * and user keys of its own in a temp folder, on a free high port) and WebDAV servers (`rclone
 * serve webdav`, read-write or --read-only). The SFTP server knows three user keys: one that
 * may write, one whose sessions run `sftp-server -R` (the server refuses every write), and one
 * whose sftp-server runs with a file size limit of a few KiB (the server's disk is "full": a
 * write past it fails with EFBIG). Each is handed to rclone as an on-the-fly remote.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`server on port ${port} did not start: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export type RunningServer = { port: number; stop: () => Promise<void> };

export type SftpServer = RunningServer & {
  /** A remote on the server's folder `path` (absolute: the server is this machine). */
  remote: (path: string) => string;
  readOnlyRemote: (path: string) => string;
  fullRemote: (path: string) => string;
};

function keygen(path: string) {
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "wimm-test", "-f", path]);
  if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr.toString()}`);
}

/** sshd on a free port of 127.0.0.1, with everything of its own under `dir`. */
export async function startSftpServer(dir: string): Promise<SftpServer> {
  mkdirSync(dir, { recursive: true });
  // sshd's privilege separation wants this folder, which a container may not have.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  for (const name of ["host_key", "user_key", "ro_key", "full_key"]) keygen(join(dir, name));
  const pub = (name: string) => readFileSync(join(dir, `${name}.pub`), "utf8").trim();
  writeFileSync(
    join(dir, "authorized_keys"),
    [
      pub("user_key"),
      `restrict,command="/usr/lib/openssh/sftp-server -R" ${pub("ro_key")}`,
      // 16 blocks of 512 bytes; SIGXFSZ ignored so the write fails (EFBIG) instead of killing the server.
      `restrict,command="/bin/sh -c 'trap \\"\\" XFSZ; ulimit -f 16; exec /usr/lib/openssh/sftp-server'" ${pub("full_key")}`,
    ].join("\n") + "\n",
    { mode: 0o600 },
  );
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );
  const child = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (log += d));
  await waitForPort(port, child, () => log);
  // Hash checks run shell commands on the server; the forced commands above allow none.
  const remote = (key: string) => (path: string) =>
    `:sftp,host=127.0.0.1,port=${port},user=root,key_file=${join(dir, key)},shell_type=none,disable_hashcheck=true:${path}`;
  return {
    port,
    remote: remote("user_key"),
    readOnlyRemote: remote("ro_key"),
    fullRemote: remote("full_key"),
    stop: () => stopChild(child),
  };
}

export type WebdavServer = RunningServer & { remote: (path: string) => string };

/** `rclone serve webdav` of `dir` on a free port of 127.0.0.1. */
export async function startWebdavServer(dir: string, options: { readOnly?: boolean } = {}): Promise<WebdavServer> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    "rclone",
    ["serve", "webdav", ...(options.readOnly ? ["--read-only"] : []), "--addr", `127.0.0.1:${port}`, dir],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (log += d));
  await waitForPort(port, child, () => log);
  return {
    port,
    remote: (path: string) => `:webdav,url='http://127.0.0.1:${port}':${path}`,
    stop: () => stopChild(child),
  };
}
