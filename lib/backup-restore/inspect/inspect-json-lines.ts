/**
 * Everything we learn from a JSON lines export folder (`wimm export`) before touching the
 * live database: its manifest is this app's, at a schema version this app reads, naming
 * every carried table; the preview (family, users) read from its records; and the
 * checksums the manifest promises, which the load compares before COMMIT.
 *
 * JSON is parsed by JavaScript, not by a database engine, so unlike a SQLite file this
 * needs no child process; every value is still only data, turned into COPY lines by the
 * app's own code (engine/json-lines.ts).
 */
import { TableHasher, diffChecksums, type Checksums } from "../../db/checksum.ts";
import { getTable, tablesAt } from "../../db/tables.ts";
import { ImportRefused, checkManifest, jsonLinesSource, manifestChecksums, readRecords } from "../engine/json-lines.ts";
import { inTableOrder } from "../engine/records.ts";
import { RecordChecker } from "./check-records.ts";
import { describeFindings } from "./preflight.ts";
import type { Preview, RefusalCode, RefusalValues } from "../vocabulary.ts";

export type JsonLinesInspection =
  | { ok: true; schemaVersion: number; preview: Preview; checksums: Checksums }
  | { ok: false; code: RefusalCode; details?: string; values?: RefusalValues };

export async function inspectJsonLines(dir: string): Promise<JsonLinesInspection> {
  const checked = checkManifest(dir);
  if (!checked.ok) return checked;
  const version = checked.manifest.schemaVersion;
  const tables = tablesAt(version);
  try {
    let family: { id: number; name: string } | undefined;
    for await (const r of readRecords(dir, getTable("families", tables))) {
      const id = Number(r.id);
      if (!family || id < family.id) family = { id, name: String(r.name) };
    }
    if (!family) return { ok: false, code: "NO_FAMILY" };
    const users: { id: number; username: string; role: string }[] = [];
    for await (const r of readRecords(dir, getTable("users", tables)))
      users.push({ id: Number(r.id), username: String(r.username), role: String(r.role) });
    users.sort((a, b) => a.id - b.id);
    // Every record, as the load will stream it: the value checks, and the manifest's word
    // checked before anything live is touched (the load compares it again before COMMIT).
    const checker = new RecordChecker();
    const checksums: Checksums = {};
    for (const { table, lines } of inTableOrder(jsonLinesSource(dir), version)) {
      const check = checker.table(table);
      const hasher = new TableHasher(table);
      for await (const line of lines) {
        hasher.addLine(line);
        check(line);
      }
      checksums[table.name] = hasher.digest();
    }
    const findings = checker.findings();
    if (findings.length) return { ok: false, code: "PREFLIGHT_FAILED", details: describeFindings(findings) };
    const promised = manifestChecksums(checked.manifest);
    const differ = diffChecksums(promised, checksums);
    if (differ.length)
      return {
        ok: false,
        code: "SCHEMA_MISMATCH",
        details: `the records differ from the manifest: ${differ.join("; ")}`,
      };
    return {
      ok: true,
      schemaVersion: checked.manifest.schemaVersion,
      preview: { family: { name: family.name }, users: users.map(({ username, role }) => ({ username, role })) },
      checksums: promised,
    };
  } catch (error) {
    if (error instanceof ImportRefused || (error as { code?: string }).code === "ENOENT")
      return { ok: false, code: "SCHEMA_MISMATCH", details: (error as Error).message };
    throw error;
  }
}
