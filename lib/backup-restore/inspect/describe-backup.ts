/**
 * `wimm detect FILE`: what a backup says about itself, read from the file, never its name,
 * and refusing nothing (a newer schema is reported as it is): its type, the app marker, the
 * schema version (null when the file is not this app's), and where the file holds them the
 * app version that wrote it, its creation time and its rows per table.
 *   SQLite  — app_meta and a count of each table, read by the isolated child;
 *   dump    — app_meta alone (pg_restore --table app_meta) and the archive header's
 *             creation time; row counts are not in an archive without reading all of it;
 *   JSON lines — the manifest.
 * A gzip-compressed or age-encrypted file is described by what it holds, opened by the
 * isolated child (unwrap-isolated.ts), with `compressed` and `encrypted` beside; an encrypted
 * file without its key says `encrypted: true` and `needsKey: true`, its inner type unknown.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { APP_ID } from "../../db/schema.ts";
import { readArchiveMeta } from "../engine/dump-records.ts";
import { sniffWrapping } from "../engine/wrapped-files.ts";
import type { BackupType, UnwrapRefusalCode } from "../vocabulary.ts";
import { describeSqliteIsolated } from "./inspect-isolated.ts";
import { unwrapIsolated, type UnwrapRequest } from "./unwrap-isolated.ts";
import { archiveCreatedAt, listArchive } from "./inspect-pg-archive.ts";

export type BackupDescription = {
  type: BackupType;
  app: string | null;
  schemaVersion: number | null;
  appVersion?: string;
  createdAt?: string;
  rows?: Record<string, number>;
  /** gzip around what it holds; null when the file is encrypted and no key opened it. */
  compressed?: boolean | null;
  /** age encryption around what it holds. */
  encrypted?: boolean;
  /** Encrypted, and no key was given: the inner type needs the private key (or passphrase). */
  needsKey?: true;
  /** Why a wrapped file could not be opened (a key that does not fit, a damaged gzip…). */
  unwrapRefused?: UnwrapRefusalCode;
};

export type DescribeOptions = { timeoutMs: number; unwrap?: Omit<UnwrapRequest, "timeoutMs"> };

export async function describeBackup(path: string, options: DescribeOptions): Promise<BackupDescription> {
  const outer = sniffWrapping(path);
  if (!outer) return { ...(await describeInner(path, options)), compressed: false, encrypted: false };
  if (!options.unwrap) return { type: "unknown", app: null, schemaVersion: null, ...wrappedBy(outer) };
  const unwrapped = await unwrapIsolated(path, { ...options.unwrap, timeoutMs: options.timeoutMs });
  if (!unwrapped.ok) {
    const encrypted = unwrapped.layers.includes("age");
    return {
      type: "unknown",
      app: null,
      schemaVersion: null,
      compressed: encrypted && unwrapped.layers.length === 1 ? null : unwrapped.layers.includes("gzip"),
      encrypted,
      ...(unwrapped.code === "ENCRYPTED_NEEDS_KEY" ? { needsKey: true as const } : { unwrapRefused: unwrapped.code }),
    };
  }
  try {
    const inner = await describeInner(unwrapped.file, options);
    return { ...inner, compressed: unwrapped.layers.includes("gzip"), encrypted: unwrapped.layers.includes("age") };
  } finally {
    unwrapped.release();
  }
}

/** What the outer bytes alone say: an encrypted file hides whether it is compressed inside. */
function wrappedBy(outer: "age" | "gzip"): Pick<BackupDescription, "compressed" | "encrypted"> {
  return outer === "age" ? { compressed: null, encrypted: true } : { compressed: true, encrypted: false };
}

async function describeInner(path: string, options: { timeoutMs: number }): Promise<BackupDescription> {
  const { type, facts } = await describeSqliteIsolated(path, options);
  if (type === "sqlite") return { type, ...(facts ?? { app: null, schemaVersion: null }) };
  if (type === "postgresql") return { type, ...(await describeArchive(path, options.timeoutMs)) };
  if (type === "json-lines") return { type, ...describeExport(path) };
  return { type, app: null, schemaVersion: null };
}

async function describeArchive(path: string, timeoutMs: number): Promise<Omit<BackupDescription, "type">> {
  const list = await listArchive(path);
  if (!list.ok) return { app: null, schemaVersion: null };
  const createdAt = archiveCreatedAt(list.listing);
  let meta: Map<string, string>;
  try {
    meta = await readArchiveMeta(path, { timeoutMs });
  } catch {
    return { app: null, schemaVersion: null, ...(createdAt ? { createdAt } : {}) };
  }
  const app = meta.get("app") ?? null;
  const version = Number(meta.get("schema_version"));
  const appVersion = meta.get("app_version");
  return {
    app,
    schemaVersion: app === APP_ID && Number.isInteger(version) ? version : null,
    ...(app === APP_ID && appVersion ? { appVersion } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

function describeExport(dir: string): Omit<BackupDescription, "type"> {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
      app?: unknown;
      schemaVersion?: unknown;
      exportedAt?: unknown;
      tables?: { name?: unknown; rows?: unknown }[];
    };
    const app = typeof manifest.app === "string" ? manifest.app : null;
    if (app !== APP_ID) return { app, schemaVersion: null };
    const rows = Object.fromEntries(
      (Array.isArray(manifest.tables) ? manifest.tables : [])
        .filter((t) => typeof t.name === "string" && typeof t.rows === "number")
        .map((t) => [t.name as string, t.rows as number]),
    );
    return {
      app,
      schemaVersion: Number.isInteger(manifest.schemaVersion) ? (manifest.schemaVersion as number) : null,
      ...(typeof manifest.exportedAt === "string" ? { createdAt: manifest.exportedAt } : {}),
      rows,
    };
  } catch {
    return { app: null, schemaVersion: null };
  }
}
