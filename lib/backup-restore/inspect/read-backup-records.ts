/**
 * A validated backup's rows as the record stream, read by the same reader its restore would
 * load them with, at the backup's own schema version: a SQLite file by the isolated child
 * (never opened in this process), a dump by the strict dump reader (`pg_restore
 * --data-only`, offline: no server is needed, so a dump can be read on a SQLite instance
 * too), a JSON lines export by its own parser.
 */
import { readDumpRecords } from "../engine/dump-records.ts";
import { jsonLinesSource } from "../engine/json-lines.ts";
import { inTableOrder, type RecordSource } from "../engine/records.ts";
import type { BackupType } from "../vocabulary.ts";
import { readSqliteRowsIsolated } from "./inspect-isolated.ts";

export type BackupRecords = {
  records: RecordSource;
  /** Resolves once the reader has ended cleanly (the SQLite child exited 0); rejects otherwise. */
  finished: Promise<void>;
  /** Ends the reader, whatever happened; harmless once it has ended. */
  stop(): void;
};

export function readBackupRecords(
  file: string,
  type: Extract<BackupType, "sqlite" | "postgresql" | "json-lines">,
  options: { version: number; timeoutMs: number },
): BackupRecords {
  const { version, timeoutMs } = options;
  switch (type) {
    case "sqlite": {
      const rows = readSqliteRowsIsolated(file, { timeoutMs, version });
      return { records: inTableOrder(rows.source, version), finished: rows.finished, stop: rows.stop };
    }
    case "postgresql":
      // The generator waits for pg_restore's clean exit itself, and ends it when dropped.
      return { records: readDumpRecords(file, { timeoutMs, version }), finished: Promise.resolve(), stop: () => {} };
    case "json-lines":
      return { records: inTableOrder(jsonLinesSource(file), version), finished: Promise.resolve(), stop: () => {} };
  }
}
