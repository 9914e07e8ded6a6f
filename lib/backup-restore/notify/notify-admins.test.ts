/**
 * The failure alerts against real receivers on loopback: aiosmtpd for the e-mail, a Node
 * http server for the webhook (tests/helpers/alert-receivers.ts). No mocks.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  describeSmtp,
  findFreePort,
  smtpSkipNote,
  startSmtpServer,
  startWebhookReceiver,
  type SmtpServer,
  type WebhookReceiver,
} from "../../../tests/helpers/alert-receivers.ts";
import { notificationConfig, notifyAdmins, type AdminEvent } from "./notify-admins.ts";

const AT = new Date("2026-03-14T03:00:07.123Z");
const FILE = "wimm-scheduled-2026-03-14T03-00-00Z.dump";
// A failed pg_dump's details may quote the database URL; its password must not travel.
const DETAILS = "pg_dump: error: connection to postgresql://wimm:db-pass-77@127.0.0.1:5432/wimm refused";

const backupFailed: AdminEvent = {
  kind: "scheduled-backup-failed",
  at: AT,
  file: FILE,
  details: DETAILS,
  instance: "casa-silva",
};

let webhook: WebhookReceiver;
let logged: string[];
let quiet: string | undefined;

beforeAll(async () => {
  webhook = await startWebhookReceiver();
});
afterAll(() => webhook.stop());

beforeEach(() => {
  webhook.requests.length = 0;
  webhook.answer(200);
  // log() is silent under WIMM_QUIET=1; the redaction of log lines is part of what is checked.
  quiet = process.env.WIMM_QUIET;
  delete process.env.WIMM_QUIET;
  logged = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (quiet === undefined) delete process.env.WIMM_QUIET;
  else process.env.WIMM_QUIET = quiet;
});

describe("notificationConfig", () => {
  it("builds no channel from an environment without alert variables (WIMM_ALERT_FROM alone included)", () => {
    expect(notificationConfig({})).toEqual({});
    expect(notificationConfig({ WIMM_ALERT_EMAILS: " ", WIMM_ALERT_FROM: "ops@example.org" })).toEqual({});
  });

  it("reads the addresses, the SMTP URL (percent-decoded) and the default sender", () => {
    const config = notificationConfig(
      {
        WIMM_ALERT_EMAILS: " ana@example.org,bruno@example.org ,",
        WIMM_SMTP_URL: "smtps://alerts%40example.org:p%40ss%3Aword@mail.example.org",
        WIMM_ALERT_WEBHOOK: "https://hooks.example.org/T1/secret-token",
      },
      "wimm-box",
    );
    expect(config.email).toEqual({
      to: ["ana@example.org", "bruno@example.org"],
      from: "wimm-finance@wimm-box",
      smtp: { secure: true, host: "mail.example.org", user: "alerts@example.org", password: "p@ss:word" },
    });
    expect(config.webhook).toEqual({ url: new URL("https://hooks.example.org/T1/secret-token") });
  });

  it("keeps a half-set or invalid channel as a problem that names the variable, never its value", () => {
    expect(notificationConfig({ WIMM_ALERT_EMAILS: "ana@example.org" }).email).toEqual({
      problem: "WIMM_ALERT_EMAILS is set but WIMM_SMTP_URL is not",
    });
    expect(notificationConfig({ WIMM_SMTP_URL: "smtp://u:pw@h" }).email).toEqual({
      problem: "WIMM_SMTP_URL is set but WIMM_ALERT_EMAILS is not",
    });
    expect(notificationConfig({ WIMM_ALERT_EMAILS: "ana@", WIMM_SMTP_URL: "smtp://h" }).email).toEqual({
      problem: "WIMM_ALERT_EMAILS is not a comma-separated list of addresses",
    });
    expect(notificationConfig({ WIMM_ALERT_EMAILS: "ana@example.org", WIMM_SMTP_URL: "http://u:pw@h" }).email).toEqual({
      problem: "WIMM_SMTP_URL is not an smtp:// or smtps:// URL",
    });
    expect(
      notificationConfig({ WIMM_ALERT_EMAILS: "ana@example.org", WIMM_SMTP_URL: "smtp://h", WIMM_ALERT_FROM: "x" })
        .email,
    ).toEqual({ problem: "WIMM_ALERT_FROM is not an e-mail address" });
    for (const bad of ["ftp://h/x", "https://u:%zz@h/x"]) {
      expect(notificationConfig({ WIMM_ALERT_WEBHOOK: bad }).webhook).toEqual({
        problem: "WIMM_ALERT_WEBHOOK is not an http:// or https:// URL",
      });
    }
  });
});

describe("notifyAdmins without SMTP", () => {
  it("tries no channel when nothing is configured", async () => {
    expect(await notifyAdmins(backupFailed, notificationConfig({}))).toEqual({});
    expect(webhook.requests).toEqual([]);
    expect(logged).toEqual([]);
  });

  it("posts the event as JSON to the webhook; any 2xx counts, absent values are null", async () => {
    webhook.answer(202);
    const result = await notifyAdmins(
      { kind: "drill-failed", at: AT, details: "checksum of table transactions differs" },
      notificationConfig({ WIMM_ALERT_WEBHOOK: `${webhook.url}/hooks/wimm?token=abc` }),
    );
    expect(result).toEqual({ webhook: { ok: true, status: 202 } });
    expect(webhook.requests).toHaveLength(1);
    const [request] = webhook.requests;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/hooks/wimm?token=abc");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({
      event: "drill-failed",
      at: "2026-03-14T03:00:07.123Z",
      file: null,
      details: "checksum of table transactions differs",
      instance: expect.any(String),
      app: "wimm-finance",
    });
  });

  it("sends a webhook URL's credentials as Basic auth and redacts passwords in the details", async () => {
    const receiver = new URL(webhook.url);
    const result = await notifyAdmins(
      backupFailed,
      notificationConfig({ WIMM_ALERT_WEBHOOK: `http://hook:t%40ken@${receiver.host}/in` }),
    );
    expect(result).toEqual({ webhook: { ok: true, status: 200 } });
    const [request] = webhook.requests;
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from("hook:t@ken").toString("base64")}`);
    const payload = JSON.parse(request!.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ event: "scheduled-backup-failed", file: FILE, instance: "casa-silva" });
    expect(payload.details).toContain("postgresql://wimm:[redacted]@127.0.0.1:5432/wimm refused");
    expect(request!.body).not.toContain("db-pass-77");
  });

  it("reports a webhook answering 500 as failed, and a channel set up by half as failed", async () => {
    webhook.answer(500);
    const result = await notifyAdmins(
      backupFailed,
      notificationConfig({ WIMM_ALERT_EMAILS: "ana@example.org", WIMM_ALERT_WEBHOOK: `${webhook.url}/secret-path` }),
    );
    expect(result).toEqual({
      email: { ok: false, error: "WIMM_ALERT_EMAILS is set but WIMM_SMTP_URL is not" },
      webhook: { ok: false, status: 500, error: "answered HTTP 500" },
    });
    expect(logged.join("\n")).not.toContain("secret-path");
  });
});

describeSmtp(`notifyAdmins with a real SMTP server (aiosmtpd)${smtpSkipNote}`, () => {
  let smtp: SmtpServer;
  let delivered = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp?.stop());

  /** The messages that arrived since the last call. */
  function newMessages() {
    const all = smtp.messages();
    const fresh = all.slice(delivered);
    delivered = all.length;
    return fresh;
  }

  it("e-mails every admin: To, Subject, and what failed, when, which file, the details and what to do", async () => {
    const result = await notifyAdmins(
      backupFailed,
      notificationConfig(
        { WIMM_ALERT_EMAILS: "ana@example.org, bruno@example.org", WIMM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
        "wimm.test",
      ),
    );
    expect(result).toEqual({ email: { ok: true } });
    const [mail, ...more] = newMessages();
    expect(more).toEqual([]);
    expect(mail!.headers["to"]).toBe("ana@example.org, bruno@example.org");
    expect(mail!.headers["x-rcptto"]).toBe("ana@example.org, bruno@example.org");
    expect(mail!.headers["from"]).toBe("wimm-finance@wimm.test");
    expect(mail!.headers["subject"]).toBe("WIMM-Finance on casa-silva: scheduled backup failed");
    expect(mail!.body).toContain("The scheduled backup failed on casa-silva at 2026-03-14T03:00:07.123Z.");
    expect(mail!.body).toContain(`File: ${FILE}`);
    expect(mail!.body).toContain("pg_dump: error: connection to postgresql://wimm:[redacted]@127.0.0.1:5432/wimm");
    expect(mail!.body).toContain("check the server log; run ./bin/wimm drill");
    expect(mail!.raw).not.toContain("db-pass-77");
    expect(logged).toEqual(["[notify] scheduled-backup-failed: e-mail sent"]);
  });

  it("sends both channels at once; a webhook answering 500 does not stop the e-mail", async () => {
    webhook.answer(500);
    const result = await notifyAdmins(
      { kind: "drill-failed", at: AT, details: "the newest backup could not be restored" },
      notificationConfig({
        WIMM_ALERT_EMAILS: "ana@example.org",
        WIMM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        WIMM_ALERT_FROM: "alerts@example.org",
        WIMM_ALERT_WEBHOOK: webhook.url,
      }),
    );
    expect(result).toEqual({ email: { ok: true }, webhook: { ok: false, status: 500, error: "answered HTTP 500" } });
    const [mail] = newMessages();
    expect(mail!.headers["from"]).toBe("alerts@example.org");
    expect(mail!.headers["subject"]).toMatch(/^WIMM-Finance on .+: backup drill failed$/);
    expect(mail!.body).toContain("the newest backup could not be restored");
    expect(mail!.body).not.toContain("File:");
  });

  it("reports an SMTP port where nothing listens as failed, without the password, and still calls the webhook", async () => {
    const closed = await findFreePort();
    const smtpUrl = `smtp://alerts:Sup3r-S3cret@127.0.0.1:${closed}`;
    const result = await notifyAdmins(
      backupFailed,
      notificationConfig({
        WIMM_ALERT_EMAILS: "ana@example.org",
        WIMM_SMTP_URL: smtpUrl,
        WIMM_ALERT_WEBHOOK: webhook.url,
      }),
    );
    expect(result.webhook).toEqual({ ok: true, status: 200 });
    expect(webhook.requests).toHaveLength(1);
    expect(result.email?.ok).toBe(false);
    expect(result.email?.error).toMatch(/ECONNREFUSED/);
    const everything = JSON.stringify(result) + "\n" + logged.join("\n");
    expect(everything).not.toContain("Sup3r-S3cret");
    expect(everything).not.toContain(smtpUrl);
    expect(logged.some((line) => line.startsWith("[notify] scheduled-backup-failed: e-mail not sent: "))).toBe(true);
    expect(newMessages()).toEqual([]);
  });
});
