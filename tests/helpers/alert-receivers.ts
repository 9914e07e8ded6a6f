/**
 * Real receivers on loopback for the failure alerts: an SMTP server (Debian's
 * python3-aiosmtpd, its Mailbox handler writing each message into a Maildir) and a webhook
 * receiver (a Node http server). No mocks: nodemailer and fetch talk to real sockets.
 *
 * Without aiosmtpd the SMTP tests are skipped on a developer's machine, but run (and fail)
 * in CI (CI=true), where scripts/test.sh installs the package: a suite that silently skips
 * its mail tests proves nothing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { connect, createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { describe } from "vitest";
import { createTempDir } from "./databases.ts";

const isCI = ["1", "true"].includes((process.env.CI ?? "").toLowerCase());

// A pyenv or virtualenv python3 first on PATH does not see Debian's dist-packages, so
// Debian's own interpreter is tried after it.
const PYTHONS = ["python3", "/usr/bin/python3"];

/** The interpreter that can run `-m aiosmtpd`, or null. */
export const aiosmtpdPython: string | null =
  PYTHONS.find((python) => spawnSync(python, ["-m", "aiosmtpd", "--version"], { stdio: "ignore" }).status === 0) ??
  null;

export const smtpTestsEnabled = aiosmtpdPython !== null || isCI;

/** Why the SMTP tests are skipped, for their title; empty when they run. */
export const smtpSkipNote = smtpTestsEnabled
  ? ""
  : " (SKIPPED: `python3 -m aiosmtpd` is not available; apt-get install python3-aiosmtpd)";

/** `describe` for tests that need the SMTP server: skipped locally without aiosmtpd, never in CI. */
export const describeSmtp = (smtpTestsEnabled ? describe : describe.skip) as typeof describe;

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type ReceivedMail = {
  /** Header names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  /** Decoded (quoted-printable undone), CRLF → LF. */
  body: string;
  /** The whole file as it arrived, for "this must not appear anywhere" checks. */
  raw: string;
};

export type SmtpServer = { port: number; messages: () => ReceivedMail[]; stop: () => Promise<void> };

export async function startSmtpServer(): Promise<SmtpServer> {
  if (!aiosmtpdPython) {
    throw new Error("python3 -m aiosmtpd is not available (apt-get install python3-aiosmtpd); CI=true requires it");
  }
  const tmp = createTempDir("wimm-smtp-");
  // Python's Maildir creates new/, cur/ and tmp/ only for a folder that does not exist yet.
  const maildir = join(tmp.dir, "maildir");
  const port = await findFreePort();
  // -n: as root aiosmtpd would otherwise switch to nobody, who cannot write the Maildir.
  const child = spawn(
    aiosmtpdPython,
    ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`, "-c", "aiosmtpd.handlers.Mailbox", maildir],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    tmp.cleanup();
  };
  try {
    await waitForPort(port, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  const messages = () => {
    const dir = join(maildir, "new");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .sort()
      .map((name) => parseMail(readFileSync(join(dir, name), "utf8")));
  };
  return { port, messages, stop };
}

export type WebhookRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
export type WebhookReceiver = {
  url: string;
  requests: WebhookRequest[];
  /** The status the next requests are answered with. */
  answer: (status: number) => void;
  stop: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: WebhookRequest[] = [];
  let status = 200;
  const server = createHttpServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "broken");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (s) => (status = s),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`aiosmtpd exited (${child.exitCode}): ${stderr()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aiosmtpd did not listen on 127.0.0.1:${port} within 15 s: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function parseMail(raw: string): ReceivedMail {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const rest = split === -1 ? "" : text.slice(split + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const qp = (headers["content-transfer-encoding"] ?? "").toLowerCase() === "quoted-printable";
  const body = qp
    ? Buffer.from(
        rest
          .replace(/=\n/g, "")
          .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8")
    : rest;
  return { headers, body, raw };
}
