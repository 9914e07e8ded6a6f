/**
 * Backups outlive the version that made them: every frozen fixture backup of every schema
 * version (tests/fixtures/backups/schema-N/, made once by scripts/make-schema-fixtures.ts,
 * never regenerated) is restored through the real `./bin/wimm restore` in every scenario
 * that applies to it, onto a fresh seeded instance, and must come back row by row, field by
 * field, as its expected.json says:
 *
 *   family.sqlite3 → SQLite       (sqlite-to-sqlite)
 *   family.sqlite3 → PostgreSQL   (sqlite-to-postgresql, --confirm-migration)
 *   family.dump    → PostgreSQL   (postgresql-to-postgresql)
 *
 * After each restore: exit 0; no session left (the fresh instance had one); every table but
 * events exactly the backup's rows, read through the app's Prisma client; events the
 * backup's, plus exactly one: the restore's own. When the fixture's schema is the app's
 * current one, every table's checksum (lib/db/checksum.ts) must also be the one recorded.
 *
 * When a later schema changes a table, an older fixture's rows will no longer read back as
 * recorded: what restoring an old backup must give then (a new column's value, an upgraded
 * schema_version) belongs in this file, next to the comparison (UPGRADES), never in an old
 * expected.json. Derived columns (lib/db/tables.ts) must hold the app's own computation.
 */
import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession } from "../lib/auth/sessions.ts";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { countRows } from "../lib/db/row-counts.ts";
import { latestSchemaVersion } from "../lib/db/schema.ts";
import { APP_VERSION } from "../lib/app-version.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { APP_ID } from "../lib/db/schema.ts";
import { LATEST_SCHEMA_VERSION, TABLE_NAMES } from "../lib/db/tables.ts";
import type { Engine } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, describePostgres } from "./helpers/databases.ts";
import {
  discoverFixtureFolders,
  readTablesThroughPrisma,
  type FixtureFile,
  type FixtureFolder,
} from "./helpers/schema-fixtures.ts";

const folders = discoverFixtureFolders();
const tmp = createTempDir("wimm-schema-fixtures-");
afterAll(() => tmp.cleanup());

type Scenario = { live: Engine; args: string[]; scenario: string };

/** Every restore that applies to a backup of this engine. */
function scenariosFor(file: FixtureFile): Scenario[] {
  return file.engine === "sqlite"
    ? [
        { live: "sqlite", args: [], scenario: "sqlite-to-sqlite" },
        { live: "postgresql", args: ["--confirm-migration"], scenario: "sqlite-to-postgresql" },
      ]
    : [{ live: "postgresql", args: [], scenario: "postgresql-to-postgresql" }];
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("schema fixtures: the frozen folders", () => {
  it("a folder for every schema version up to the app's current one", () => {
    const current = latestSchemaVersion("sqlite");
    expect(folders.map((f) => f.schemaVersion)).toEqual(Array.from({ length: current }, (_, i) => i + 1));
  });

  it.each(folders.map((f) => [f.name, f] as const))("%s: its files are the ones recorded, unchanged", (_, folder) => {
    expect(folder.expected.schemaVersion).toBe(folder.schemaVersion);
    const names = Object.keys(folder.expected.fixtures);
    expect(names.length).toBeGreaterThan(0);
    expect(readdirSync(folder.dir).sort()).toEqual([...names, "README.md", "expected.json"].sort());
    for (const name of names) {
      const path = join(folder.dir, name);
      const recorded = folder.expected.fixtures[name]!;
      expect({ name, bytes: statSync(path).size, sha256: sha256(path) }).toEqual({
        name,
        bytes: recorded.bytes,
        sha256: recorded.sha256,
      });
    }
  });
});

for (const folder of folders) {
  for (const [name, file] of Object.entries(folder.expected.fixtures)) {
    for (const s of scenariosFor(file)) {
      (s.live === "postgresql" ? describePostgres : describe)(`${folder.name}/${name} → ${s.live}`, () => {
        it(`wimm restore (${s.scenario}) gives back every row of expected.json`, async () => {
          await restoreAndCompare(folder, name, file, s);
        }, 240_000);
      });
    }
  }
}

type TableRows = FixtureFile["tables"];
type Row = TableRows[string][number];

/**
 * What a backup of each schema must read back as once upgraded to the next: UPGRADES[n] turns
 * the rows of schema n−1 into those of schema n. A new schema adds its step here.
 */
const UPGRADES: Record<number, (tables: TableRows) => TableRows> = {
  // Schema 2: the family's time zone moves from app_meta into families.time_zone (UTC when
  // a database had none); users gain last_sign_in_at (never, so far); transactions gain
  // search_text, the app's folding of the description.
  2: (t) => {
    const zone = t.app_meta!.find((r) => r.key === "family_time_zone")?.value ?? "UTC";
    return {
      ...t,
      app_meta: t.app_meta!.filter((r) => r.key !== "family_time_zone"),
      families: t.families!.map((r) => insertAfter(r, "currency", { time_zone: zone })),
      users: t.users!.map((r) => ({ ...r, last_sign_in_at: null })),
      transactions: t.transactions!.map((r) => ({ ...r, search_text: foldForSearch(String(r.description)) })),
    };
  },
};

/** Key order as the app reads it (lib/db/tables.ts), so that a failing comparison reads plainly. */
function insertAfter(row: Row, key: string, add: Row): Row {
  return Object.fromEntries(
    Object.entries(row).flatMap(([k, v]) => (k === key ? [[k, v], ...Object.entries(add)] : [[k, v]])),
  );
}

/**
 * The rows a fixture of schema `from` must restore to in this app: upgraded step by step,
 * app_meta as the loader writes it (the app marker, the schema and app versions of this app),
 * every derived column the app's own computation.
 */
function upgradeExpected(from: number, tables: TableRows): TableRows {
  let t = tables;
  for (let v = from + 1; v <= LATEST_SCHEMA_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`tests/schema-fixtures.test.ts: no UPGRADES[${v}]`);
    t = step(t);
  }
  const meta = { app: APP_ID, app_version: APP_VERSION, schema_version: String(LATEST_SCHEMA_VERSION) };
  const carried = t.app_meta!.filter((r) => !(String(r.key) in meta) && r.key !== "backup_created_at");
  const app_meta = [...carried, ...Object.entries(meta).map(([key, value]) => ({ key, value }))].sort((a, b) =>
    String(a.key) < String(b.key) ? -1 : 1,
  );
  return { ...t, app_meta };
}

async function restoreAndCompare(folder: FixtureFolder, name: string, file: FixtureFile, s: Scenario) {
  const db = await createTarget(s.live);
  try {
    const dir = join(tmp.dir, `${folder.name}-${name}-${s.live}`);
    const env = {
      DATABASE_URL: db.target.url,
      WIMM_BACKUP_DIR: join(dir, "backups"),
      WIMM_ADMIN_PASSWORD: "fresh-admin-1",
      WIMM_MEMBER_PASSWORD: "fresh-member-1",
    };
    // A fresh instance with real data of its own, and someone signed in.
    const seeded = await runWimm(["seed", "--transactions", "40"], { env });
    expect(seeded.code, seeded.stderr).toBe(0);
    const client = await createPrismaClient(db.target, { poolSize: 1 });
    try {
      const admin = await client.user.findUniqueOrThrow({ where: { username: "admin" } });
      await createSession(client, admin.id, 30);
    } finally {
      await client.$disconnect();
    }

    // The restore reads a copy: nothing may touch the frozen file.
    const copy = join(tmp.dir, `${folder.name}-${s.live}-${name}`);
    copyFileSync(join(folder.dir, name), copy);
    const r = await runWimm(["restore", copy, ...s.args], { env, timeoutMs: 200_000 });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.json).toMatchObject({
      success: true,
      scenario: s.scenario,
      family: { name: file.tables.families![0]!.name },
    });

    const upgraded = folder.schemaVersion < latestSchemaVersion(s.live);
    if (upgraded) expect(r.json).toMatchObject({ upgradedFrom: folder.schemaVersion });
    else expect(r.json).not.toHaveProperty("upgradedFrom");
    const want = upgradeExpected(folder.schemaVersion, file.tables);

    const got = await readTablesThroughPrisma(db.target);
    expect(got.sessions, "no session survives a restore").toEqual([]);
    // The same tables: a table the app gained later needs its expected rows for old backups.
    expect(Object.keys(got).sort()).toEqual([...Object.keys(want), "sessions"].sort());
    for (const table of Object.keys(want)) {
      if (table === "events") continue;
      expect(got[table], `${table} of ${folder.name}/${name}`).toEqual(want[table]);
    }

    // The backup's events, then exactly one more: this restore's.
    const events = want.events!;
    expect(got.events!.slice(0, events.length), `events of ${folder.name}/${name}`).toEqual(events);
    expect(got.events!.length, "exactly one event added by the restore").toBe(events.length + 1);
    const added = got.events![events.length]!;
    expect(added).toMatchObject({ kind: "restore" });
    expect(added.id as number).toBeGreaterThan(Math.max(0, ...events.map((e) => e.id as number)));

    const counts = await countRows(db.target);
    expect(counts).toEqual({ ...file.rowCounts, app_meta: want.app_meta!.length, events: file.rowCounts.events! + 1 });
    expect(Object.keys(counts).sort()).toEqual([...TABLE_NAMES].sort());

    // Same schema as the app's: the canonical text of every row (the checksums) is the backup's too.
    if (folder.schemaVersion === latestSchemaVersion(s.live)) {
      // app_meta is the loader's own (checked row by row above).
      expect(diffChecksums(file.checksums, await computeChecksums(db.target), ["events", "app_meta"])).toEqual([]);
    }
  } finally {
    await db.cleanup();
  }
}
