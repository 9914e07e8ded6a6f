/**
 * Failures are loud: a scheduled backup or a drill that fails runs in the background, where
 * nobody reads the log, so the admins are told by e-mail (WIMM_ALERT_EMAILS through
 * WIMM_SMTP_URL) and/or by a JSON POST to WIMM_ALERT_WEBHOOK.
 *
 * notifyAdmins never throws and returns each channel's outcome: it is called from the error
 * path of a job that must still record its own failure, and one dead channel must not keep
 * the other from trying. Every outgoing text goes through redactSecrets, because a driver's
 * error may quote the URL it was given and a webhook URL is often a secret in itself.
 *
 * The texts are English: a background job does not know its admins' language.
 */
import { hostname } from "node:os";
import nodemailer from "nodemailer";
import { log } from "../../log.ts";
import {
  decodeUrlPart,
  parseAlertEmails,
  parseAlertFrom,
  parseSmtpUrl,
  parseWebhookUrl,
  type SmtpServer,
} from "./alert-settings.ts";
import { redactSecrets } from "./redact-secrets.ts";

export type AdminEvent = {
  kind: "scheduled-backup-failed" | "drill-failed";
  at: Date;
  /** The backup file concerned, when there is one. */
  file?: string;
  details: string;
  /** Which installation; the host name when absent (an admin may run several). */
  instance?: string;
};

/** The variables read; both `process.env` and lib/env.ts's `Env` fit. */
export type AlertEnv = {
  WIMM_ALERT_EMAILS?: string;
  WIMM_SMTP_URL?: string;
  WIMM_ALERT_FROM?: string;
  WIMM_ALERT_WEBHOOK?: string;
};

export type EmailChannel = { to: string[]; from: string; smtp: SmtpServer };
export type WebhookChannel = { url: URL };
/** A channel asked for but unusable (say, addresses without a server): it fails at every alert, loudly, rather than vanish. */
export type MisconfiguredChannel = { problem: string };

export type NotificationConfig = {
  email?: EmailChannel | MisconfiguredChannel;
  webhook?: WebhookChannel | MisconfiguredChannel;
};

export type NotifyResult = {
  email?: { ok: boolean; error?: string };
  webhook?: { ok: boolean; status?: number; error?: string };
};

const WEBHOOK_TIMEOUT_MS = 10_000;
// A failure's details can be a whole stack or a pg_dump transcript; the log keeps all of it.
const MAX_DETAILS = 8_000;

/** The channels the environment asks for; nothing set → no channel. */
export function notificationConfig(env: AlertEnv, host: string = hostname()): NotificationConfig {
  const config: NotificationConfig = {};
  const emails = present(env.WIMM_ALERT_EMAILS);
  const smtpUrl = present(env.WIMM_SMTP_URL);
  const from = present(env.WIMM_ALERT_FROM);
  const webhook = present(env.WIMM_ALERT_WEBHOOK);

  if (emails !== undefined || smtpUrl !== undefined) {
    const to = emails === undefined ? null : parseAlertEmails(emails);
    const smtp = smtpUrl === undefined ? null : parseSmtpUrl(smtpUrl);
    const sender = from === undefined ? `wimm-finance@${host}` : parseAlertFrom(from);
    if (emails === undefined) config.email = { problem: "WIMM_SMTP_URL is set but WIMM_ALERT_EMAILS is not" };
    else if (to === null) config.email = { problem: "WIMM_ALERT_EMAILS is not a comma-separated list of addresses" };
    else if (smtpUrl === undefined) config.email = { problem: "WIMM_ALERT_EMAILS is set but WIMM_SMTP_URL is not" };
    else if (smtp === null) config.email = { problem: "WIMM_SMTP_URL is not an smtp:// or smtps:// URL" };
    else if (sender === null) config.email = { problem: "WIMM_ALERT_FROM is not an e-mail address" };
    else config.email = { to, from: sender, smtp };
  }
  if (webhook !== undefined) {
    const url = parseWebhookUrl(webhook);
    config.webhook = url ? { url } : { problem: "WIMM_ALERT_WEBHOOK is not an http:// or https:// URL" };
  }
  return config;
}

export async function notifyAdmins(event: AdminEvent, config: NotificationConfig): Promise<NotifyResult> {
  const secrets = secretsOf(config);
  const clean = (text: string) => redactSecrets(text, secrets);
  const [email, webhook] = await Promise.all([
    config.email && sendEmail(event, config.email, clean),
    config.webhook && postWebhook(event, config.webhook, clean),
  ]);
  const result: NotifyResult = {};
  if (email) {
    result.email = email;
    log("notify", `${event.kind}: e-mail ${email.ok ? "sent" : "not sent"}${email.error ? `: ${email.error}` : ""}`);
  }
  if (webhook) {
    result.webhook = webhook;
    const status = webhook.status === undefined ? "" : ` (HTTP ${webhook.status})`;
    log(
      "notify",
      `${event.kind}: webhook ${webhook.ok ? "delivered" : "failed"}${status}${webhook.error ? `: ${webhook.error}` : ""}`,
    );
  }
  return result;
}

async function sendEmail(
  event: AdminEvent,
  channel: EmailChannel | MisconfiguredChannel,
  clean: (text: string) => string,
): Promise<NonNullable<NotifyResult["email"]>> {
  if ("problem" in channel) return { ok: false, error: channel.problem };
  try {
    const { smtp } = channel;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user === undefined ? undefined : { user: smtp.user, pass: smtp.password ?? "" },
      // nodemailer's defaults wait minutes; a dead server should fail this job's alert soon.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Its debug output would include the AUTH exchange; keep it off whatever the defaults become.
      logger: false,
      debug: false,
    });
    try {
      const alert = composeAlert(event, clean);
      const info = await transport.sendMail({
        from: channel.from,
        to: channel.to,
        subject: alert.subject,
        text: alert.text,
      });
      const rejected = (info.rejected ?? []).map((a) => (typeof a === "string" ? a : a.address));
      // The server refuses the whole message when it refuses every recipient; some refused is a partial success.
      return rejected.length === 0 ? { ok: true } : { ok: true, error: clean(`refused for ${rejected.join(", ")}`) };
    } finally {
      transport.close();
    }
  } catch (err) {
    return { ok: false, error: clean(describeError(err)) };
  }
}

async function postWebhook(
  event: AdminEvent,
  channel: WebhookChannel | MisconfiguredChannel,
  clean: (text: string) => string,
): Promise<NonNullable<NotifyResult["webhook"]>> {
  if ("problem" in channel) return { ok: false, error: channel.problem };
  try {
    const url = new URL(channel.url.href);
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "wimm-finance" };
    // fetch refuses a URL with credentials; https://user:token@host/ is common for webhooks, so send them as Basic auth.
    if (url.username !== "" || url.password !== "") {
      const pair = `${decodeUrlPart(url.username) ?? ""}:${decodeUrlPart(url.password) ?? ""}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(webhookPayload(event, clean)),
      // A redirect would turn the POST into a GET elsewhere; a webhook that moved should fail visibly.
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return ok
      ? { ok, status: response.status }
      : { ok, status: response.status, error: `answered HTTP ${response.status}` };
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") {
      return { ok: false, error: `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` };
    }
    return { ok: false, error: clean(describeError(err)) };
  }
}

const WHAT_FAILED: Record<AdminEvent["kind"], string> = {
  "scheduled-backup-failed": "scheduled backup failed",
  "drill-failed": "backup drill failed",
};

function composeAlert(event: AdminEvent, clean: (text: string) => string): { subject: string; text: string } {
  const instance = oneLine(instanceOf(event));
  const what = WHAT_FAILED[event.kind];
  const lines = [
    `The ${what} on ${instance} at ${isoTime(event.at)}.`,
    "",
    ...(event.file ? [`File: ${oneLine(event.file)}`] : []),
    "Details:",
    clean(capDetails(event.details)),
    "",
    "What to do: check the server log; run ./bin/wimm drill to see whether the newest backup can be restored.",
    "",
    "-- ",
    "Sent by WIMM-Finance to the addresses in WIMM_ALERT_EMAILS.",
  ];
  return { subject: `WIMM-Finance on ${instance}: ${what}`, text: lines.join("\n") };
}

function webhookPayload(event: AdminEvent, clean: (text: string) => string) {
  // Absent values are null, not missing, so a receiver's template sees the same keys every time.
  return {
    event: event.kind,
    at: Number.isNaN(event.at.getTime()) ? null : event.at.toISOString(),
    file: event.file ?? null,
    details: clean(capDetails(event.details)),
    instance: instanceOf(event),
    app: "wimm-finance",
  };
}

function secretsOf(config: NotificationConfig): string[] {
  const secrets: string[] = [];
  if (config.email && "smtp" in config.email) {
    const { user, password } = config.email.smtp;
    if (password) secrets.push(password, `${user ?? ""}:${password}`);
  }
  if (config.webhook && "url" in config.webhook) {
    const { url } = config.webhook;
    secrets.push(url.href);
    if (url.password) secrets.push(url.password, decodeUrlPart(url.password) ?? "");
    // The path and query of a chat webhook are its token.
    if (url.pathname.length > 1) secrets.push(url.pathname + url.search);
    else if (url.search) secrets.push(url.search);
  }
  return secrets;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is in the cause.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return `${err.message}${cause}`;
}

function instanceOf(event: AdminEvent): string {
  return event.instance?.trim() || hostname();
}

function isoTime(at: Date): string {
  return Number.isNaN(at.getTime()) ? "an unknown time" : at.toISOString();
}

function capDetails(details: string): string {
  const text = String(details);
  return text.length <= MAX_DETAILS ? text : `${text.slice(0, MAX_DETAILS)}\n… (cut here; the server log has the rest)`;
}

/** Header-safe: a name or file from elsewhere must not start a new header line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
