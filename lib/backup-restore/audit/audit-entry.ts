/**
 * One entry of the audit trail (audit-trail.ts): its fields, the zod schema every line is
 * read through, and the hash that chains it to the entry before it. Pure: no files here.
 *
 * The hash covers the entry's canonical JSON: the fields in the fixed order below, absent
 * optional fields left out, `hash` itself left out. It is computed from the parsed values,
 * not from the line's bytes, so any change of a value (or a line moved, removed or added,
 * through `seq` and `prev`) is detected, whatever a checker's JSON printer does with spaces.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const AUDIT_ACTIONS = [
  "backup",
  "verify",
  "drill",
  "restore",
  "migration",
  "refusal",
  "rollback",
  "recovery",
  "prune",
  "delete",
  "upgrade",
  "offsite",
  // An encryption key added or removed (details: which), and a key tried on a backup
  // ("do you still have the key?": details, the key's public half).
  "key",
  "key-check",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_RESULTS = ["ok", "failed", "refused"] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** `prev` of the first entry: there is no entry before it. */
export const GENESIS_HASH = "0".repeat(64);

/** Long enough for a driver's error message; short enough that an entry stays one small line. */
export const MAX_DETAILS = 1000;
export const MAX_ACTOR = 100;
export const MAX_FILE = 255;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");

/**
 * Strict: a key the hash does not cover (added by hand) would otherwise pass unnoticed.
 * The order of the keys here is the canonical order of the hash.
 */
export const AuditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  actor: z.string().min(1).max(MAX_ACTOR),
  action: z.enum(AUDIT_ACTIONS),
  result: z.enum(AUDIT_RESULTS),
  file: z.string().min(1).max(MAX_FILE).optional(),
  sha256: hex64.optional(),
  details: z.string().max(MAX_DETAILS).optional(),
  prev: hex64,
  hash: hex64,
});

export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** What a caller says; the trail adds `seq`, `at`, `prev` and `hash` under its lock. */
export type AuditEntryInput = {
  /** A username, or "cli", "scheduler", "system". */
  actor: string;
  action: AuditAction;
  result: AuditResult;
  /** The backup's file name (a path is reduced to its name: paths differ between hosts). */
  file?: string;
  /** The file's content hash, when known. */
  sha256?: string;
  /** Short text: a reason code, a count, an error message (cut to MAX_DETAILS). */
  details?: string;
};

type Unsealed = Omit<AuditEntry, "hash">;

/** The entry without `hash`, keys in the canonical order, absent optional fields left out. */
function orderFields(entry: Unsealed): Unsealed {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    result: entry.result,
    ...(entry.file !== undefined && { file: entry.file }),
    ...(entry.sha256 !== undefined && { sha256: entry.sha256 }),
    ...(entry.details !== undefined && { details: entry.details }),
    prev: entry.prev,
  };
}

export function hashEntry(entry: Unsealed): string {
  return createHash("sha256")
    .update(JSON.stringify(orderFields(entry)))
    .digest("hex");
}

/** The entry with its hash, keys in the canonical order and `hash` last: as written, as printed. */
export function sealEntry(entry: Unsealed): AuditEntry {
  return { ...orderFields(entry), hash: hashEntry(entry) };
}

/** One line of the file, without its newline (JSON.stringify escapes any newline in a value). */
export function formatEntryLine(entry: AuditEntry): string {
  return JSON.stringify({ ...orderFields(entry), hash: entry.hash });
}

export type ParsedLine = { ok: true; entry: AuditEntry } | { ok: false; problem: string };

/** A line of the file as an entry, or what is wrong with it (not JSON, not an entry). */
export function parseEntryLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "is not JSON" };
  }
  const parsed = AuditEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return { ok: false, problem: `is not an audit entry (${where}${issue?.message ?? "invalid"})` };
  }
  return { ok: true, entry: parsed.data };
}
