/**
 * Environment, validated once with zod. Every module reads configuration from here.
 */
import { z } from "zod";
import {
  parseAlertEmails,
  parseAlertFrom,
  parseSmtpUrl,
  parseWebhookUrl,
} from "./backup-restore/notify/alert-settings.ts";
import { parseRetentionText } from "./backup-restore/backups/retention-policy.ts";
import { scheduleProblem } from "./backup-restore/schedule/backup-schedule.ts";
import { offsiteRemoteProblem } from "./backup-restore/offsite/offsite-remote.ts";
import { parseRecipientList } from "./backup-restore/engine/age-keys.ts";

import { isTimeZone } from "./time-zone.ts";

const bool = z
  .string()
  .optional()
  .transform((v) => ["1", "true", "yes", "on"].includes((v ?? "").trim().toLowerCase()));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: "must be a positive integer" });
        return z.NEVER;
      }
      return n;
    });

export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value) && Intl.supportedValuesOf("currency").includes(value);
}

const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: "custom", message: "must be 0 or a positive integer" });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  WIMM_FAMILY_NAME: z.string().trim().min(1).max(100).default("My family"),
  // Only read when the family is first created; afterwards an admin changes them in Settings.
  WIMM_CURRENCY: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCurrencyCode, "must be an ISO 4217 currency code such as BRL, EUR or USD")
    .default("BRL"),
  WIMM_TIME_ZONE: z
    .string()
    .trim()
    .refine(isTimeZone, "must be an IANA time zone such as America/Sao_Paulo")
    .default(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"),
  WIMM_ADMIN_PASSWORD: z.string().min(8, "WIMM_ADMIN_PASSWORD must be at least 8 characters").optional(),
  WIMM_BACKUP_DIR: z.string().default("./data/backups"),
  /** First value of the backup schedule (a cron expression in the family's time zone, or `off`); the settings page's file wins. */
  WIMM_BACKUP_SCHEDULE: z
    .string()
    .trim()
    .refine((s) => scheduleProblem(s) === null, "must be a cron expression such as '0 3 * * *', or off")
    .optional(),
  /** First value of the retention policy (`hours=24,daily=7,weekly=4,monthly=12,safety-days=30`); the settings page's file wins. */
  WIMM_BACKUP_RETENTION: z
    .string()
    .transform((s, ctx) => {
      const parsed = parseRetentionText(s);
      if (parsed.ok) return parsed.policy;
      ctx.addIssue({
        code: "custom",
        message: `must be like hours=24,daily=7,weekly=4,monthly=12,safety-days=30: ${parsed.problem}`,
      });
      return z.NEVER;
    })
    .optional(),
  /** First value of the public keys (`age1…`, comma-separated) `wimm backup --encrypt` encrypts to; the settings file wins. */
  WIMM_BACKUP_RECIPIENTS: z
    .string()
    .transform((s, ctx) => {
      const parsed = parseRecipientList(s);
      if (parsed.ok) return parsed.recipients;
      ctx.addIssue({
        code: "custom",
        message: `must be age public keys (age1…, as age-keygen prints them) separated by commas; "${parsed.bad}" is not one`,
      });
      return z.NEVER;
    })
    .optional(),
  // Where a failed scheduled backup or drill is reported (lib/backup-restore/notify). The
  // messages never quote the value: the SMTP URL holds a password, a webhook URL is often a token.
  WIMM_ALERT_EMAILS: z
    .string()
    .refine((s) => parseAlertEmails(s) !== null, "must be e-mail addresses separated by commas")
    .optional(),
  WIMM_SMTP_URL: z
    .string()
    .refine((s) => parseSmtpUrl(s) !== null, "must be smtp://[user:password@]host[:port] or smtps://…")
    .optional(),
  WIMM_ALERT_FROM: z
    .string()
    .refine((s) => parseAlertFrom(s) !== null, "must be an e-mail address")
    .optional(),
  WIMM_ALERT_WEBHOOK: z
    .string()
    .refine((s) => parseWebhookUrl(s) !== null, "must be an http:// or https:// URL")
    .optional(),
  /**
   * Where verified backups are copied off the machine, handed to rclone as it is: `name:path`
   * (a remote of rclone's config file, RCLONE_CONFIG) or `:backend,…:path`. Never quoted in a
   * message: an on-the-fly remote may carry a password.
   */
  WIMM_OFFSITE_REMOTE: z
    .string()
    .superRefine((s, ctx) => {
      const problem = offsiteRemoteProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  WIMM_OFFSITE_TIMEOUT_S: positiveInt(600),
  WIMM_UPLOAD_DIR: z.string().default("./data/uploads"),
  WIMM_MAX_UPLOAD_MB: positiveInt(2048),
  WIMM_PG_DUMP_TIMEOUT_S: positiveInt(300),
  WIMM_PG_RESTORE_TIMEOUT_S: positiveInt(600),
  WIMM_VALIDATE_TIMEOUT_S: positiveInt(600),
  WIMM_SESSION_DAYS: positiveInt(30),
  WIMM_LOGIN_USER_LIMIT: positiveInt(5),
  WIMM_LOGIN_IP_LIMIT: positiveInt(20),
  WIMM_LOGIN_WINDOW_MIN: positiveInt(15),
  WIMM_TRUSTED_PROXIES: nonNegativeInt(0),
  DEMO_MODE: bool,
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (source === process.env && cached) return cached;
  const parsed = EnvSchema.safeParse({
    ...source,
    WIMM_ADMIN_PASSWORD: source.WIMM_ADMIN_PASSWORD || undefined,
    WIMM_FAMILY_NAME: source.WIMM_FAMILY_NAME || undefined,
    WIMM_CURRENCY: source.WIMM_CURRENCY || undefined,
    WIMM_TIME_ZONE: source.WIMM_TIME_ZONE || undefined,
    WIMM_BACKUP_RETENTION: source.WIMM_BACKUP_RETENTION?.trim() || undefined,
    WIMM_BACKUP_RECIPIENTS: source.WIMM_BACKUP_RECIPIENTS?.trim() || undefined,
    WIMM_ALERT_EMAILS: source.WIMM_ALERT_EMAILS?.trim() || undefined,
    WIMM_SMTP_URL: source.WIMM_SMTP_URL?.trim() || undefined,
    WIMM_ALERT_FROM: source.WIMM_ALERT_FROM?.trim() || undefined,
    WIMM_ALERT_WEBHOOK: source.WIMM_ALERT_WEBHOOK?.trim() || undefined,
    WIMM_OFFSITE_REMOTE: source.WIMM_OFFSITE_REMOTE?.trim() || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** Tests change process.env between cases; they call this to re-read it. */
export function resetEnvCache() {
  cached = undefined;
}
