/**
 * The scenario matrix (docs/ARCHITECTURE.md) as one exhaustive, pure function.
 *
 *   backup \ running   | sqlite               | postgresql
 *   -------------------+----------------------+----------------------------------
 *   sqlite             | sqlite-to-sqlite     | needs confirmation → sqlite-to-postgresql
 *   postgresql (.dump) | refused              | postgresql-to-postgresql
 *   json-lines (dir)   | refused              | needs confirmation → json-lines-to-postgresql
 *   postgresql-sql     | refused              | refused (never piped into psql)
 *   unknown            | refused              | refused
 */
import type { Engine } from "../../db/url.ts";
import type { BackupType, RefusalCode, Scenario } from "../vocabulary.ts";

export type RestorePlan =
  | { action: "run"; scenario: Scenario }
  | { action: "confirm"; scenario: "sqlite-to-postgresql" | "json-lines-to-postgresql" }
  | { action: "refuse"; code: RefusalCode };

export function planRestore(running: Engine, backup: BackupType, migrationConfirmed: boolean): RestorePlan {
  switch (backup) {
    case "sqlite":
      if (running === "sqlite") return { action: "run", scenario: "sqlite-to-sqlite" };
      return migrationConfirmed
        ? { action: "run", scenario: "sqlite-to-postgresql" }
        : { action: "confirm", scenario: "sqlite-to-postgresql" };
    case "postgresql":
      return running === "postgresql"
        ? { action: "run", scenario: "postgresql-to-postgresql" }
        : { action: "refuse", code: "PG_DUMP_ON_SQLITE" };
    case "json-lines":
      if (running === "sqlite") return { action: "refuse", code: "JSON_LINES_ON_SQLITE" };
      return migrationConfirmed
        ? { action: "run", scenario: "json-lines-to-postgresql" }
        : { action: "confirm", scenario: "json-lines-to-postgresql" };
    case "postgresql-sql":
      return { action: "refuse", code: "PLAIN_SQL_DUMP" };
    case "unknown":
      return { action: "refuse", code: "UNKNOWN_FILE_TYPE" };
  }
}
