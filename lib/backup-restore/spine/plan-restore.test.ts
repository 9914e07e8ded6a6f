import { describe, expect, it } from "vitest";
import type { Engine } from "../../db/url.ts";
import type { BackupType } from "../vocabulary.ts";
import { planRestore, type RestorePlan } from "./plan-restore.ts";

/** Every (running engine, backup type, confirmation) and the one answer it must get. */
const TABLE: [Engine, BackupType, boolean, RestorePlan][] = [
  ["sqlite", "sqlite", false, { action: "run", scenario: "sqlite-to-sqlite" }],
  ["sqlite", "sqlite", true, { action: "run", scenario: "sqlite-to-sqlite" }],
  ["sqlite", "postgresql", false, { action: "refuse", code: "PG_DUMP_ON_SQLITE" }],
  ["sqlite", "postgresql", true, { action: "refuse", code: "PG_DUMP_ON_SQLITE" }],
  ["sqlite", "postgresql-sql", false, { action: "refuse", code: "PLAIN_SQL_DUMP" }],
  ["sqlite", "postgresql-sql", true, { action: "refuse", code: "PLAIN_SQL_DUMP" }],
  ["sqlite", "unknown", false, { action: "refuse", code: "UNKNOWN_FILE_TYPE" }],
  ["sqlite", "unknown", true, { action: "refuse", code: "UNKNOWN_FILE_TYPE" }],
  ["sqlite", "json-lines", false, { action: "refuse", code: "JSON_LINES_ON_SQLITE" }],
  ["sqlite", "json-lines", true, { action: "refuse", code: "JSON_LINES_ON_SQLITE" }],
  ["postgresql", "sqlite", false, { action: "confirm", scenario: "sqlite-to-postgresql" }],
  ["postgresql", "sqlite", true, { action: "run", scenario: "sqlite-to-postgresql" }],
  ["postgresql", "postgresql", false, { action: "run", scenario: "postgresql-to-postgresql" }],
  ["postgresql", "postgresql", true, { action: "run", scenario: "postgresql-to-postgresql" }],
  ["postgresql", "json-lines", false, { action: "confirm", scenario: "json-lines-to-postgresql" }],
  ["postgresql", "json-lines", true, { action: "run", scenario: "json-lines-to-postgresql" }],
  ["postgresql", "postgresql-sql", false, { action: "refuse", code: "PLAIN_SQL_DUMP" }],
  ["postgresql", "postgresql-sql", true, { action: "refuse", code: "PLAIN_SQL_DUMP" }],
  ["postgresql", "unknown", false, { action: "refuse", code: "UNKNOWN_FILE_TYPE" }],
  ["postgresql", "unknown", true, { action: "refuse", code: "UNKNOWN_FILE_TYPE" }],
];

describe("planRestore: the scenario matrix", () => {
  it.each(TABLE)("%s app, %s backup, confirmed=%s", (engine, backup, confirmed, expected) => {
    expect(planRestore(engine, backup, confirmed)).toEqual(expected);
  });

  it("covers every combination exactly once", () => {
    const keys = new Set(TABLE.map(([e, b, c]) => `${e}/${b}/${c}`));
    expect(keys.size).toBe(2 * 5 * 2);
  });
});
