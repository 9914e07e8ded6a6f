/**
 * The alert variables, parsed. lib/env.ts refuses a bad value at start-up with these
 * parsers, and notificationConfig builds the channels with the same ones, so both agree on
 * what a valid value is. Kept apart from notify-admins.ts so that reading the environment
 * does not load an SMTP client into every module that imports lib/env.ts.
 *
 * No message here quotes the value: an SMTP URL carries a password, and a webhook URL is
 * itself often the secret (Slack, Discord, ntfy tokens live in its path).
 */
import { z } from "zod";

export type SmtpServer = {
  /** smtps:// (TLS from the first byte); smtp:// upgrades with STARTTLS when offered. */
  secure: boolean;
  host: string;
  /** Absent: nodemailer's default, 465 for smtps://, 587 for smtp://. */
  port?: number;
  user?: string;
  password?: string;
};

const Address = z.email();

/** `a@x.org, b@y.org` → the addresses; null when empty or when one is not an address. */
export function parseAlertEmails(value: string): string[] | null {
  const addresses = value
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  if (addresses.length === 0) return null;
  return addresses.every((a) => Address.safeParse(a).success) ? addresses : null;
}

export function parseAlertFrom(value: string): string | null {
  const address = value.trim();
  return Address.safeParse(address).success ? address : null;
}

/** `smtp://user:pass@host:25`, `smtps://host`; user and password percent-decoded. */
export function parseSmtpUrl(value: string): SmtpServer | null {
  const url = parseUrl(value.trim());
  if (!url || (url.protocol !== "smtp:" && url.protocol !== "smtps:") || url.hostname === "") return null;
  const user = decodeUrlPart(url.username);
  const password = decodeUrlPart(url.password);
  if (user === null || password === null) return null;
  return {
    secure: url.protocol === "smtps:",
    // URL keeps an IPv6 literal's brackets; a socket wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
  };
}

/** An http(s) URL; credentials in it, if any, must percent-decode (they are sent as Basic auth). */
export function parseWebhookUrl(value: string): URL | null {
  const url = parseUrl(value.trim());
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  return decodeUrlPart(url.username) === null || decodeUrlPart(url.password) === null ? null : url;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

export function decodeUrlPart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
