/**
 * Every door checks who is knocking, by itself: each route handler and server action is
 * called directly over HTTP (no browser, no page) with no session, a member's session, an
 * expired admin session, a spoofed `x-middleware-subrequest` header and a foreign Origin.
 * Each must refuse, and nothing may be written, locked or left on disk.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { ADMIN, MEMBER, e2eServers } from "./support/e2e-env.ts";
import { toBigInt } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";

test.describe.configure({ mode: "serial" });

type Action = { id: string; name: string; page: string };

/** Server action ids of this build, by exported name (from Next's own manifest). */
function actions(): Record<string, Action> {
  const manifest = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  const out: Record<string, Action> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    const page =
      Object.keys(entry.workers)[0]!
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "") || "/";
    if (entry.exportedName) out[entry.exportedName] = { id, name: entry.exportedName, page };
  }
  return out;
}

/**
 * `[null, formData]` encoded as React's encodeReply does for an action's arguments: the
 * FormData's fields as parts "_1_<name>", then the root "0" referring to them as "$K1". The
 * order matters (the server resolves "$K1" when "0" arrives), hence a FormData and not an
 * object, whose integer-like key "0" would come first.
 */
function reactReply(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(`_1_${name}`, value);
  body.append("0", JSON.stringify([null, "$K1"]));
  return body;
}

/** The names in a folder, sorted ([] when it does not exist yet). */
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

/** Writes a session row straight into the database; returns the cookie token. */
async function insertSession(url: string, username: string, expired: boolean): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const hash = createHash("sha256").update(token).digest("hex");
  const expires = new Date(Date.now() + (expired ? -3_600_000 : 3_600_000)).toISOString();
  const target = parseDatabaseUrl(url);
  if (target.engine === "sqlite") {
    const db = new Database(target.path, { timeout: 15000 });
    try {
      const user = db.prepare("SELECT id FROM users WHERE username = ?").get(username) as { id: number };
      db.prepare(
        "INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
      ).run(
        user.id,
        hash,
        expires.replace("Z", "+00:00"),
        new Date().toISOString().replace("Z", "+00:00"),
        new Date().toISOString().replace("Z", "+00:00"),
      );
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(
        "INSERT INTO sessions (user_id, token_hash, expires_at) SELECT id, $2, $3 FROM users WHERE username = $1",
        [username, hash, expires.replace("T", " ").replace("Z", "")],
      );
    } finally {
      await client.end();
    }
  }
  return token;
}

test("no door opens without an admin session, and a refused knock leaves nothing behind", async ({
  request,
  database,
  baseURL,
}, testInfo) => {
  const server = e2eServers().find((s) => s.engine === testInfo.project.name)!;
  const backups = join(server.workDir, "backups");
  const uploads = join(server.workDir, "uploads");
  const state = async () => ({
    transactions: toBigInt((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n),
    users: (
      await database.rows<{ username: string; role: string; active: unknown; password_hash: string }>(
        "SELECT username, role, active, password_hash FROM users ORDER BY id",
      )
    ).map((u) => ({ ...u, active: Boolean(Number(u.active)) })),
    backups: files(backups),
    uploads: files(uploads),
  });
  const before = await state();
  const origin = new URL(baseURL!).origin;
  const member = await insertSession(server.databaseUrl, MEMBER.username, false);
  const idOf = async (username: string) =>
    Number((await database.one<{ id: unknown }>("SELECT id FROM users WHERE username = ?", [username])).id);
  const memberId = await idOf(MEMBER.username);
  const adminId = await idOf(ADMIN.username);
  const expired = await insertSession(server.databaseUrl, ADMIN.username, true);
  const admin = await insertSession(server.databaseUrl, ADMIN.username, false);

  const identities: { who: string; headers: Record<string, string> }[] = [
    { who: "nobody", headers: { origin } },
    { who: "a member", headers: { origin, cookie: `wimm_session=${member}` } },
    { who: "an expired admin session", headers: { origin, cookie: `wimm_session=${expired}` } },
    {
      who: "nobody with a spoofed x-middleware-subrequest",
      headers: { origin, "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    },
  ];
  const foreign = {
    who: "an admin from a foreign Origin",
    headers: { origin: "https://evil.example", cookie: `wimm_session=${admin}` },
  };

  // Route handlers.
  for (const { who, headers } of identities) {
    const backup = await request.post("/api/backup", { headers, maxRedirects: 0 });
    expect([401, 404], `POST /api/backup as ${who}`).toContain(backup.status());
    const post = await request.post("/api/restore/upload", {
      headers: { ...headers, "content-type": "application/octet-stream" },
      data: Buffer.from("SQLite format 3\0"),
      maxRedirects: 0,
    });
    expect([401, 404], `POST /api/restore/upload as ${who}`).toContain(post.status());
  }
  // Creating a backup is a write: an admin's GET or HEAD (what an `<img src>` on any page
  // sends, with the cookie when that page is same-site) creates nothing and is told to POST.
  for (const method of ["GET", "HEAD"] as const) {
    const response = await request.fetch("/api/backup", {
      method,
      headers: { origin, cookie: `wimm_session=${admin}` },
      maxRedirects: 0,
    });
    expect(response.status(), `${method} /api/backup as an admin`).toBe(405);
    expect(response.headers()["allow"], `${method} /api/backup: Allow`).toBe("POST");
  }
  // An admin's POST from anything but this exact origin: another site, another port of this
  // same host (same-site, so its requests carry the cookie), Sec-Fetch-Site saying so, no Origin.
  const otherPort = new URL(origin);
  otherPort.port = String(Number(otherPort.port) + 1);
  const foreignBackups: { who: string; headers: Record<string, string> }[] = [
    { who: "another site", headers: { origin: "https://evil.example" } },
    { who: "another port of this host", headers: { origin: otherPort.origin } },
    { who: "another port of this host, as the browser says", headers: { origin, "sec-fetch-site": "same-site" } },
    { who: "another site, as the browser says", headers: { origin, "sec-fetch-site": "cross-site" } },
    { who: "nowhere (no Origin)", headers: {} },
  ];
  for (const { who, headers } of foreignBackups) {
    const response = await request.post("/api/backup", {
      headers: { ...headers, cookie: `wimm_session=${admin}` },
      maxRedirects: 0,
    });
    expect(response.status(), `POST /api/backup by an admin from ${who}`).toBe(403);
  }
  const foreignUpload = await request.post("/api/restore/upload", {
    headers: { ...foreign.headers, "content-type": "application/octet-stream" },
    data: Buffer.from("SQLite format 3\0"),
    maxRedirects: 0,
  });
  expect(foreignUpload.status(), "POST /api/restore/upload from a foreign Origin").toBe(403);

  // Server actions, called the way the browser would, without the page.
  const all = actions();
  const uploadId = "3f2b8c1e-1d2a-4b3c-9d4e-5f6a7b8c9d0e";
  // Members may add transactions (they are family members); every other call is admin-only.
  // `form`: posted as a real FormData (React's reply encoding: the arguments as JSON in part
  // "0", the FormData's fields as parts "_1_<name>"), as useActionState's forms send
  // it, so an action that forgot its own check would really run and write.
  const calls: { action: Action; args?: unknown[]; form?: Record<string, string>; memberMay?: boolean }[] = [
    { action: all.restoreUploadedBackup!, args: [{ uploadId, confirmMigration: true }] },
    { action: all.discardUpload!, args: [{ uploadId }] },
    {
      action: all.addTransaction!,
      args: [null, { accountId: "1", amount: "-1", description: "door", date: "2025-01-01" }],
      memberMay: true,
    },
    // Users admin: admins only. Each action checks the role itself, not just its page.
    {
      action: all.createUser!,
      form: { username: "door", role: "admin", password: "door-password", confirmPassword: "door-password" },
    },
    { action: all.changeRole!, form: { userId: String(memberId), role: "admin" } },
    {
      action: all.resetPassword!,
      form: { userId: String(adminId), password: "door-password", confirmPassword: "door-password" },
    },
    { action: all.setUserStatus!, form: { userId: String(memberId), active: "false" } },
    // Anyone signed in may change their own password, with the current one; nobody else.
    {
      action: all.changePassword!,
      form: { currentPassword: MEMBER.password, password: "door-password", confirmPassword: "door-password" },
      memberMay: true,
    },
  ];
  for (const { who, headers } of [...identities, foreign]) {
    for (const { action, args, form, memberMay } of calls) {
      if (memberMay && who === "a member") continue;
      const response = form
        ? await request.post(action.page, {
            headers: { ...headers, "next-action": action.id, accept: "text/x-component" },
            multipart: reactReply(form),
            maxRedirects: 0,
          })
        : await request.post(action.page, {
            headers: {
              ...headers,
              "next-action": action.id,
              "content-type": "text/plain;charset=UTF-8",
              accept: "text/x-component",
            },
            data: JSON.stringify(args),
            maxRedirects: 0,
          });
      const body = await response.text();
      if (process.env.DOORS_DEBUG) console.log("DOOR", action.name, who, response.status(), body.slice(0, 80));
      const refused =
        response.status() >= 300 ||
        body.includes("Not allowed") ||
        body.includes("NEXT_REDIRECT") ||
        /\/login|\/maintenance/.test(response.headers()["x-action-redirect"] ?? "");
      expect(refused, `${action.name} as ${who}: ${response.status()} ${body.slice(0, 200)}`).toBe(true);
    }
  }

  // Nothing written, nothing kept, nothing locked.
  expect(await state()).toEqual(before);
  expect(files(backups).filter((n) => n === "restore.lock" || n === "restore-journal.json")).toEqual([]);
});

test("a page on another port of this host makes no backup, neither with an <img> nor with a form POST", async ({
  page,
  loginPage,
  baseURL,
}, testInfo) => {
  const backups = join(e2eServers().find((s) => s.engine === testInfo.project.name)!.workDir, "backups");
  const app = new URL(baseURL!).origin;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const before = files(backups);
  // Another app on this host: the same site, so the admin's cookie goes with its requests.
  // Its page loads /api/backup as an image, then (once that is answered) posts a form to it.
  const other = createServer((_, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      `<!doctype html><form method="post" action="${app}/api/backup"></form>` +
        `<img src="${app}/api/backup" onerror="document.forms[0].submit()" onload="document.forms[0].submit()">`,
    );
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    const toBackup = (method: string) => (r: { url(): string; method(): string }) =>
      r.url() === `${app}/api/backup` && r.method() === method;
    // The image's answer never reaches the page (Chromium blocks a JSON answer to an <img>),
    // but it has come back when the form is posted: the image's error handler posts it.
    const [image, form] = await Promise.all([
      page.waitForRequest(toBackup("GET")),
      page.waitForResponse((r) => toBackup("POST")(r.request())),
      page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`),
    ]);
    // (What the blocked image sent is not shown to the test; the form's request shows what
    // such a page's requests carry: the admin's cookie, and the browser's word that they
    // come from the same site. An admin's GET with the cookie is answered 405 in the test above.)
    expect(image.method()).toBe("GET");
    const sent = await form.request().allHeaders();
    expect(sent["cookie"], "the admin's cookie went along").toContain("wimm_session=");
    expect(sent["sec-fetch-site"]).toBe("same-site");
    expect(form.status()).toBe(403);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
  expect(files(backups)).toEqual(before);
});

test("while a restore holds the lock, pages answer 503 and sign-in is refused; afterwards all is open again", async ({
  page,
  request,
  loginPage,
}, testInfo) => {
  const server = e2eServers().find((s) => s.engine === testInfo.project.name)!;
  const backups = join(server.workDir, "backups");
  const { mkdirSync } = await import("node:fs");
  const { spawn } = await import("node:child_process");
  mkdirSync(backups, { recursive: true, mode: 0o700 });
  // Another process holds the maintenance lock, exactly as a running restore does.
  const holder = spawn(
    process.execPath,
    [
      "-e",
      `const D=require("better-sqlite3");const d=new D(process.argv[1]);d.exec("BEGIN EXCLUSIVE");console.log("held");setInterval(()=>{},1000);`,
      join(backups, "restore.lock.sqlite3"),
    ],
    { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve) => holder.stdout!.once("data", resolve));
  try {
    const response = await request.get("/", { maxRedirects: 5 });
    expect(response.status()).toBe(503);
    expect(response.headers()["retry-after"]).toBe("5");
    expect(await response.text()).toContain("Restore in progress");
    // The sign-in page is not shown: the browser is sent on to the 503 page. (Not
    // loginPage.goto(), which waits for the form that cannot appear here.)
    const shown = await page.goto("/login");
    expect(shown?.status()).toBe(503);
    await expect(page).toHaveURL("/maintenance");
    await expect(page.getByRole("heading", { name: "Restore in progress" })).toBeVisible();
  } finally {
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
  }
  // Once free, /maintenance sends people to sign in on the host they used (a relative
  // Location: an absolute one named Next's own "localhost", useless from another machine).
  const after = await request.get("/maintenance", { maxRedirects: 0 });
  expect(after.status()).toBe(303);
  expect(after.headers()["location"]).toBe("/login");
  // The 503 page refreshes itself every 5 seconds, and a refresh fired now is sent on to
  // /login. The test must not navigate while one may be on its way (neither to /login nor to
  // about:blank: a refresh whose answer is in flight is not cancelled by a new navigation and
  // commits over it, "interrupted by another navigation to /login"). So let the page do what
  // it does for a person waiting on it: its own refresh takes it back to sign in.
  await page.waitForURL("/login");
  await expect(loginPage.submit).toBeVisible();
  // The holder died: the kernel freed the lock, and the app is open again.
  await loginPage.signIn(ADMIN.username, ADMIN.password);
});
