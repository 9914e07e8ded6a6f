/**
 * Verify after write: a backup is reopened and proven restorable right after it is written,
 * without touching the live database, and its content is compared with the live data of the
 * moment it copied.
 *
 *   SQLite  — `PRAGMA integrity_check` of the whole copy, then every table's checksum
 *             (lib/db/checksum.ts) read from the copy, against the live checksums. The copy
 *             (`VACUUM INTO`) cannot run inside a read transaction that also hashes, so the
 *             live checksums are read just before and just after it: when the two agree, the
 *             live data held still while it was copied and the copy must equal it. When they
 *             differ (a write landed meanwhile), the copy must equal one of the two moments;
 *             if it equals neither, the result is "not yet" (a later drill verifies it), not a
 *             failure of a file that may be fine.
 *   dump    — the same strict reader a restore uses (a full read of the data through
 *             `pg_restore --data-only`), every table hashed, against the checksums read in
 *             the dump's own snapshot (`pg_dump --snapshot`, create-backup.ts).
 * Sessions (never carried) and app_meta (a SQLite copy adds its creation time; a restore
 * writes its own) are left out of the comparison.
 */
import Database from "better-sqlite3";
import { TableHasher, diffChecksums, sqliteChecksums, type Checksums } from "../../db/checksum.ts";
import { readMeta } from "../../db/schema.ts";
import { LATEST_SCHEMA_VERSION, tablesAt } from "../../db/tables.ts";
import { readArchiveMeta, readDumpRecords } from "../engine/dump-records.ts";

/** true: proven; false: the file is damaged or differs from the live data; null: not yet. */
export type Verification = {
  verified: boolean | null;
  details: string;
  /** Every table's checksum as read from the file, when it could be read (the catalogue keeps it for drills). */
  checksums?: Checksums;
};

/** Left out of every comparison (see above). */
export const NOT_COMPARED = ["sessions", "app_meta"];

export function verifySqliteCopy(copyPath: string, live: { before: Checksums; after: Checksums }): Verification {
  let db: Database.Database;
  try {
    db = new Database(copyPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { verified: false, details: `the copy does not open: ${(error as Error).message}` };
  }
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return { verified: false, details: `integrity check: ${String(integrity)}` };
    const { version } = readMeta(
      db.prepare("SELECT key, value FROM app_meta").all() as { key: string; value: string }[],
    );
    const copy = sqliteChecksums(db, tablesAt(version));
    const differs = (live: Checksums) => diffChecksums(withoutNotCompared(live), copy, NOT_COMPARED);
    const fromBefore = differs(live.before);
    if (fromBefore.length === 0)
      return { verified: true, details: "integrity ok; every table equals the live data", checksums: copy };
    const quiet = diffChecksums(live.before, live.after, NOT_COMPARED).length === 0;
    if (quiet)
      return {
        verified: false,
        details: `the copy differs from the live data: ${fromBefore.join("; ")}`,
        checksums: copy,
      };
    if (differs(live.after).length === 0)
      return { verified: true, details: "integrity ok; every table equals the live data", checksums: copy };
    return {
      verified: null,
      details: "integrity ok; the live data changed while it was copied, so the tables could not be compared",
      checksums: copy,
    };
  } catch (error) {
    return { verified: false, details: `the copy cannot be read: ${(error as Error).message}` };
  } finally {
    db.close();
  }
}

/** A dump read back in full by the restore's own reader, against the checksums of its snapshot. */
export async function verifyDump(path: string, snapshot: Checksums, timeoutMs: number): Promise<Verification> {
  try {
    const meta = await readArchiveMeta(path, { timeoutMs });
    const version = Number(meta.get("schema_version") ?? LATEST_SCHEMA_VERSION);
    const read: Checksums = {};
    for await (const { table, lines } of readDumpRecords(path, { timeoutMs, version })) {
      const hasher = new TableHasher(table);
      for await (const line of lines) hasher.addLine(line);
      read[table.name] = hasher.digest();
    }
    const problems = diffChecksums(withoutNotCompared(snapshot), read, NOT_COMPARED);
    if (problems.length)
      return {
        verified: false,
        details: `the dump differs from the live data: ${problems.join("; ")}`,
        checksums: read,
      };
    return {
      verified: true,
      details: "read back in full; every table equals the live data of its snapshot",
      checksums: read,
    };
  } catch (error) {
    return { verified: false, details: `the dump cannot be read back: ${(error as Error).message.slice(0, 300)}` };
  }
}

function withoutNotCompared(checksums: Checksums): Checksums {
  return Object.fromEntries(Object.entries(checksums).filter(([name]) => !NOT_COMPARED.includes(name)));
}
