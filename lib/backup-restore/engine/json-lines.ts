/**
 * The portable form of the record stream (the original spec's dumpdata/loaddata): one JSON
 * lines file per table plus a manifest. Each line is one typed record:
 *   integers → number · 64-bit integers → decimal string (exact) · booleans → true/false ·
 *   DateTime → ISO-8601 UTC with milliseconds · text → string · NULL → null
 * The manifest carries the app marker, the schema version, and each table's row count and
 * checksum, so an import can prove it read back exactly what was exported.
 */
import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import { TableHasher, canonicalDateTime, canonicalLine, type Checksums } from "../../db/checksum.ts";
import { APP_ID, latestSchemaVersion, readMeta } from "../../db/schema.ts";
import { TABLES, q, tablesAt, type Column, type Table } from "../../db/tables.ts";
import { versionRefusal } from "../inspect/backup-facts.ts";
import { log } from "../../log.ts";
import type { LineSource } from "./records.ts";
import { InvalidUtf8, LineTooLong, NOT_CARRIED, splitLines, strictUtf8 } from "./records.ts";

export type Manifest = {
  app: string;
  format: "wimm-jsonl-1";
  schemaVersion: number;
  exportedAt: string;
  tables: { name: string; file: string; rows: number; checksum: string; columns: { name: string; type: string }[] }[];
};

function toRecordValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case "int":
      return Number(value);
    case "bigint":
      return String(value);
    case "bool":
      return value === 1 || value === 1n || value === true;
    case "datetime": {
      const canonical = canonicalDateTime(value);
      return canonical.startsWith("invalid:") ? canonical : `${canonical.replace(" ", "T")}Z`;
    }
    case "text":
      return String(value);
  }
}

/** Export every table of a SQLite database (sessions excepted) to DIR. */
export async function exportJsonLines(db: Database.Database, dir: string): Promise<Manifest> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const meta = readMeta(db.prepare("SELECT key, value FROM app_meta").all() as { key: string; value: string }[]);
  const manifest: Manifest = {
    app: meta.app ?? "",
    format: "wimm-jsonl-1",
    schemaVersion: meta.version,
    exportedAt: new Date().toISOString(),
    tables: [],
  };
  for (const table of TABLES) {
    if (NOT_CARRIED.has(table.name)) continue;
    const file = `${table.name}.jsonl`;
    const out = createWriteStream(join(dir, file), { mode: 0o600 });
    const hasher = new TableHasher(table);
    const stmt = db.prepare(`SELECT ${table.columns.map((c) => q(c.name)).join(", ")} FROM ${q(table.name)}`).raw(true);
    stmt.safeIntegers(true);
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      const record: Record<string, unknown> = {};
      table.columns.forEach((c, i) => (record[c.name] = toRecordValue(c, row[i])));
      hasher.addRow(table.columns.map((c) => record[c.name]));
      if (!out.write(JSON.stringify(record) + "\n")) await once(out, "drain");
    }
    out.end();
    await finished(out);
    const { rows, sha256 } = hasher.digest();
    manifest.tables.push({
      name: table.name,
      file,
      rows,
      checksum: sha256,
      columns: table.columns.map(({ name, type }) => ({ name, type })),
    });
    log("EXPORT", `${table.name}: ${rows} records`);
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  return manifest;
}

/** A record line that cannot be read: thrown while streaming into COPY, so the transaction rolls back. */
export class ImportRefused extends Error {}

export type ManifestCheck =
  | { ok: true; manifest: Manifest }
  | {
      ok: false;
      code: "NOT_THIS_APP" | "NEWER_SCHEMA" | "SCHEMA_MISMATCH";
      details: string;
      values?: Record<string, string>;
    };

/** The manifest of an export folder: this app's, at a schema this app reads, naming every carried table. */
export function checkManifest(dir: string): ManifestCheck {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return { ok: false, code: "NOT_THIS_APP", details: `${dir} has no readable manifest.json` };
  }
  if (manifest.app !== APP_ID || manifest.format !== "wimm-jsonl-1")
    return { ok: false, code: "NOT_THIS_APP", details: "not a WIMM-Finance JSON lines export" };
  const version = Number.isInteger(manifest.schemaVersion) ? manifest.schemaVersion : 0;
  const refused = versionRefusal(version, latestSchemaVersion("postgresql"));
  if (refused) return { ...refused, code: refused.code as "NEWER_SCHEMA" | "SCHEMA_MISMATCH" };
  // An older export is read with the tables of its own schema, and upgraded by the load.
  for (const table of tablesAt(version)) {
    if (NOT_CARRIED.has(table.name)) continue;
    const entry = manifest.tables?.find((t) => t.name === table.name);
    if (!entry || entry.file !== `${table.name}.jsonl`)
      return { ok: false, code: "SCHEMA_MISMATCH", details: `the export has no ${table.name} table` };
    const columns = (entry.columns ?? []).map((c) => c.name).join(", ");
    const expected = table.columns.map((c) => c.name).join(", ");
    if (columns !== expected)
      return {
        ok: false,
        code: "SCHEMA_MISMATCH",
        details: `${table.name} has columns (${columns}), schema ${version} has (${expected})`,
      };
  }
  return { ok: true, manifest };
}

/** The records of one table of an export folder, parsed (for the preview). */
export async function* readRecords(dir: string, table: Table): AsyncGenerator<Record<string, unknown>> {
  const rl = splitLines(strictUtf8(createReadStream(join(dir, `${table.name}.jsonl`))));
  let n = 0;
  try {
    for await (const text of rl) {
      n++;
      if (text.trim()) yield parseRecord(table, text, n);
    }
  } catch (error) {
    if (error instanceof InvalidUtf8 || error instanceof LineTooLong)
      throw new ImportRefused(`${table.name}.jsonl holds ${error.message}`);
    throw error;
  }
}

function parseRecord(table: Table, text: string, n: number): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ImportRefused(`${table.name}.jsonl line ${n} is not JSON`);
  }
}

/** Records of DIR as canonical COPY lines (what migrateIntoPostgres streams into COPY). */
export function jsonLinesSource(dir: string): LineSource {
  return (table: Table) => readLines(dir, table);
}

async function* readLines(dir: string, table: Table): AsyncGenerator<string> {
  for await (const record of readRecords(dir, table)) {
    yield canonicalLine(
      table,
      table.columns.map((c) => record[c.name] ?? null),
    );
  }
}

/** The manifest's checksums in the shape migrateIntoPostgres returns, to compare. */
export function manifestChecksums(manifest: Manifest): Checksums {
  const out: Checksums = {};
  for (const t of manifest.tables) out[t.name] = { rows: t.rows, sha256: t.checksum };
  return out;
}
