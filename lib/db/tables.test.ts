import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, enginesUnderTest, execSql, querySql, type TestDatabase } from "../../tests/helpers/databases.ts";
import { loadMigrations } from "./schema.ts";
import { LATEST_SCHEMA_VERSION, tablesAt, type ColumnType } from "./tables.ts";
import type { Engine } from "./url.ts";

type RealColumn = { table: string; name: string; type: string; nullable: boolean };

/** How each logical type of lib/db/tables.ts is declared by the committed migrations. */
const DECLARED: Record<Engine, Record<ColumnType, string>> = {
  sqlite: { int: "INTEGER", bigint: "BIGINT", text: "TEXT", bool: "BOOLEAN", datetime: "DATETIME" },
  postgresql: {
    int: "integer",
    bigint: "bigint",
    text: "text",
    bool: "boolean",
    datetime: "timestamp without time zone",
  },
};

const versions = Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1);
const cases = enginesUnderTest.flatMap((engine) => versions.map((version) => [engine, version] as const));

describe.each(cases)("the tables of %s schema %i against its migrations", (engine, version) => {
  let db: TestDatabase;
  let real: RealColumn[];
  const TABLES = tablesAt(version);

  beforeAll(async () => {
    db = await createTarget(engine);
    for (const m of loadMigrations(engine).filter((m) => m.version <= version)) await execSql(db.target, m.sql);
    if (db.target.engine === "sqlite") {
      const tables = await querySql<{ name: string }>(
        db.target,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      real = [];
      for (const { name: table } of tables) {
        const cols = await querySql<{ name: string; type: string; notnull: number; pk: number }>(
          db.target,
          `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`,
          [table],
        );
        for (const c of cols) real.push({ table, name: c.name, type: c.type, nullable: c.notnull === 0 && c.pk === 0 });
      }
    } else {
      real = (
        await querySql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
          db.target,
          `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
        )
      ).map((c) => ({
        table: c.table_name,
        name: c.column_name,
        type: c.data_type,
        nullable: c.is_nullable === "YES",
      }));
    }
  });
  afterAll(() => db?.cleanup());

  it("lists every table of the schema and no other", () => {
    expect([...new Set(real.map((c) => c.table))].sort()).toEqual(TABLES.map((t) => t.name).sort());
  });

  it.each(TABLES.map((t) => [t.name, t] as const))("%s: same columns, types and nullability", (name, table) => {
    const actual = real
      .filter((c) => c.table === name)
      .map(({ name, type, nullable }) => ({ name, type, nullable }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = [
      ...table.columns.map((c) => ({ name: c.name, type: DECLARED[engine][c.type], nullable: c.nullable })),
      // Derived columns: text the app computes, never NULL.
      ...table.derived.map((d) => ({ name: d.name, type: DECLARED[engine].text, nullable: false })),
    ].sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expected);
  });

  it("names an id column that exists, for every table with a sequence", () => {
    for (const t of TABLES) {
      if (t.idColumn)
        expect(
          t.columns.map((c) => c.name),
          t.name,
        ).toContain(t.idColumn);
    }
  });

  it("names every foreign key of the schema as a column's `references`, and no other", async () => {
    const keys =
      db.target.engine === "sqlite"
        ? (
            await Promise.all(
              TABLES.map(async (t) =>
                (
                  await querySql<{ from: string; table: string; to: string }>(
                    db.target,
                    'SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)',
                    [t.name],
                  )
                ).map((k) => `${t.name}.${k.from} -> ${k.table}.${k.to}`),
              ),
            )
          ).flat()
        : (
            await querySql<{ key: string }>(
              db.target,
              `SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text || '.' || f.attname AS key
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
                WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
            )
          ).map((r) => r.key);
    const declared = TABLES.flatMap((t) =>
      t.columns.filter((c) => c.references).map((c) => `${t.name}.${c.name} -> ${c.references}.id`),
    );
    expect(keys.map((k) => k.replace(/"/g, "")).sort()).toEqual(declared.sort());
  });
});
