/**
 * ONE-OFF: run once per schema version, never to regenerate an existing folder.
 *
 *   eval "$(scripts/pg-cluster.sh start /tmp/wimm-pg)"   # WIMM_PG_ADMIN_URL, WIMM_PG_URL
 *   npx tsx scripts/make-schema-fixtures.ts [ROOT]        # ROOT: tests/fixtures/backups
 *
 * writes ROOT/schema-<N>/ for the app's current schema version N: the frozen fixture
 * backups that tests/schema-fixtures.test.ts restores on both engines, for every schema
 * version to come. The files must be exactly what this version of the app writes, so they
 * are made by the app itself: a SQLite instance and a PostgreSQL instance, each filled with
 * the same small family through the app's own functions (seedDatabase with a fixed clock,
 * addUser, saveAccountOrCategory, createTransaction, …, on the app's Prisma client), then
 * backed up by the real `./bin/wimm backup --out`:
 *
 *   family.sqlite3  the SQLite instance's backup (VACUUM INTO)
 *   family.dump     the PostgreSQL instance's backup (pg_dump -Fc), the same family
 *   expected.json   every row of every table but sessions, field by field, read through the
 *                   app's Prisma client (tests/helpers/schema-fixtures.ts says how values
 *                   are written), row counts, checksums, sizes and SHA-256 of the files
 *   README.md       what they are, the commit that made them
 *
 * It refuses when the folder exists (a fixture is committed once and never remade: a later
 * schema adds its own folder), and when writing into the committed folder from a worktree
 * with uncommitted changes (the README names the commit that made the files).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { getEnv } from "../lib/env.ts";
import { EMPTY_TABLE, computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { latestSchemaVersion } from "../lib/db/schema.ts";
import { TABLES } from "../lib/db/tables.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { addUser } from "../lib/users/add-user.ts";
import { setUserActive } from "../lib/users/set-user-active.ts";
import { createSession } from "../lib/auth/sessions.ts";
import { updateFamily } from "../lib/finance/update-family.ts";
import { saveAccountOrCategory, setAccountOrCategoryArchived } from "../lib/finance/save-account-or-category.ts";
import { createTransaction } from "../lib/finance/create-transaction.ts";
import { setTransactionReconciled } from "../lib/finance/set-transaction-reconciled.ts";
import { findPgTool } from "../lib/backup-restore/engine/pg-tools.ts";
import { REPO_ROOT, runWimm } from "../tests/helpers/cli.ts";
import {
  FIXTURES_ROOT,
  readTablesThroughPrisma,
  type FixtureExpectations,
  type FixtureFile,
  type Row,
  type TableRows,
} from "../tests/helpers/schema-fixtures.ts";

/** The seed's clock: the demo transactions (and their created_at) are the same on both engines. */
const SEED_NOW = Date.parse("2026-12-01T12:00:00.000Z");

/** Passwords of the fixture's users (fixture data, not secrets): a later test may sign in with them. */
export const FIXTURE_PASSWORDS = {
  admin: "fixture-admin-1",
  maria: "fixture-member-1",
  "zoe.nunez": "fixture-zoe-1",
  yusuf: "fixture-yusuf-1",
  noa: "fixture-noa-1",
  "sem-nome": "fixture-sem-nome-1",
} as const;

const FAMILY_NAME = "Família São João";
const DECOMPOSED_CAFE = "Cafe\u0301"; // e + COMBINING ACUTE ACCENT
const PRECOMPOSED_CAFE = "Caf\u00e9"; // é, one code point

/** 10,240 UTF-16 code units of mixed scripts, emoji and line breaks, never a half surrogate pair. */
function longDescription(): string {
  const unit =
    "Descrição longa: ação, coração, pão — 👨‍👩‍👧 família; العربية; עברית; " +
    `${DECOMPOSED_CAFE}/${PRECOMPOSED_CAFE}; tab\there; "quotes" \\ backslash.\n`;
  let text = "";
  while (text.length + unit.length <= 10_240) text += unit;
  return text + "x".repeat(10_240 - text.length);
}

/** What the family holds, in words (README and expected.json). */
const HOLDS = [
  `family name with accents ("${FAMILY_NAME}"), currency changed from the default BRL to EUR, time zone Asia/Kathmandu (UTC+05:45)`,
  'users: admin and a second admin `zoe.nunez` (display name "Zoë Ñúñez-Łukasz"), members `maria`, `yusuf` (Arabic display name), `sem-nome` (display name NULL), and `noa` (Hebrew display name) deactivated',
  'accounts named with a ZWJ emoji sequence (👨‍👩‍👧) and mixed Arabic/Hebrew; an archived account; categories "Café" precomposed (U+00E9) and decomposed (e + U+0301) side by side; an archived category',
  "amounts +9007199254740991, −9007199254740991 and 0 cents (the web form refuses 0; written through createTransaction)",
  "a transaction with a NULL category; dates 1969-07-20 and 1900-01-01 (before 1970), 2101-01-01 and 2999-12-31 (after 2100), 2020-02-29",
  "descriptions: 10,240 characters (the web form caps at 200), tab, newline, CRLF, backslash, the literal text \\N (and a description that is only \\N), double, single and back quotes, emoji ZWJ sequences, flags and skin tones, RTL text with U+200F, leading and trailing spaces, an empty string",
  "reconciled true and false; transactions in the archived account and category and by the deactivated user",
  "12 demo transactions written by seedDatabase (the code behind `wimm seed`: its own bulk INSERT on SQLite / COPY on PostgreSQL, not Prisma), the rest through the app's Prisma client",
  "events written by the app (first start, users added, a deactivation) and one fixture note with multi-line details",
  "a session in the source instance, which the backups do not carry",
  "since schema 2: the time zone in families.time_zone; last sign-in times for admin (2026-11-30 21:15:00.123 UTC) and zoe.nunez (1999-12-31 23:59:59.999 UTC), none for the others; transactions.search_text as the app folds it (derived: a restore recomputes it, never reads it)",
];

type Built = { target: DatabaseTarget; cleanup: () => Promise<void> };

async function sqliteInstance(dir: string): Promise<Built> {
  const target = parseDatabaseUrl(`file:${join(dir, "source.sqlite3")}`);
  return { target, cleanup: async () => undefined };
}

async function postgresInstance(): Promise<Built> {
  const adminUrl = process.env.WIMM_PG_ADMIN_URL;
  const appUrl = process.env.WIMM_PG_URL;
  if (!adminUrl || !appUrl)
    throw new Error("WIMM_PG_ADMIN_URL and WIMM_PG_URL are needed (scripts/pg-cluster.sh start)");
  const name = `wimm_fixture_${randomBytes(4).toString("hex")}`;
  const url = new URL(appUrl);
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}" OWNER "${decodeURIComponent(url.username)}"`);
  url.pathname = `/${name}`;
  return {
    target: parseDatabaseUrl(url.toString()),
    cleanup: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** The family, written through the app's own functions, in a fixed order (so ids agree on both engines). */
async function fillFamily(target: DatabaseTarget): Promise<void> {
  // Only these settings (not the caller's environment): the same family wherever it is made.
  const env = getEnv({
    NODE_ENV: "production",
    DATABASE_URL: target.url,
    WIMM_FAMILY_NAME: FAMILY_NAME,
    WIMM_CURRENCY: "BRL",
    WIMM_TIME_ZONE: "America/Sao_Paulo",
    WIMM_ADMIN_PASSWORD: FIXTURE_PASSWORDS.admin,
  });
  await seedDatabase(target, env, { transactions: 12, memberPassword: FIXTURE_PASSWORDS.maria, now: SEED_NOW });

  const db = await createPrismaClient(target);
  try {
    const family = await db.family.findFirstOrThrow({ orderBy: { id: "asc" } });
    const familyId = family.id;
    await updateFamily(db, familyId, { name: FAMILY_NAME, currency: "EUR", timeZone: "Asia/Kathmandu" });
    const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    const maria = await db.user.findUniqueOrThrow({ where: { username: "maria" } });

    const user = async (
      username: keyof typeof FIXTURE_PASSWORDS,
      displayName: string | null,
      role: "admin" | "member",
    ) => {
      const r = await addUser(db, {
        familyId,
        actor: "admin",
        username,
        displayName,
        role,
        password: FIXTURE_PASSWORDS[username],
      });
      if (!r.ok) throw new Error(`addUser ${username}: ${r.reason}`);
      return r.id;
    };
    const zoe = await user("zoe.nunez", "Zoë Ñúñez-Łukasz", "admin");
    const yusuf = await user("yusuf", "يوسف الحسن", "member");
    const noa = await user("noa", "נועה כהן", "member");
    const semNome = await user("sem-nome", null, "member");

    const named = async (kind: "account" | "category", name: string, id?: number) => {
      const r = await saveAccountOrCategory(db, { familyId, kind, name, ...(id === undefined ? {} : { id }) });
      if (!r.ok) throw new Error(`saveAccountOrCategory ${kind} ${name}: ${r.reason}`);
      return r.id;
    };
    const demoChecking = (await db.account.findFirstOrThrow({ where: { name: "Conta Corrente" } })).id;
    const demoMarket = (await db.category.findFirstOrThrow({ where: { name: "Mercado" } })).id;
    // Created, then renamed: the rename path writes the name.
    const familyAccount = await named("account", "Conta temporária", undefined);
    await named("account", "👨‍👩‍👧 Conta da Família", familyAccount);
    const rtlAccount = await named("account", "حساب التوفير — חיסכון");
    const oldAccount = await named("account", "Conta Antiga (encerrada) 🗄️");
    const cafe = await named("category", PRECOMPOSED_CAFE);
    const cafeDecomposed = await named("category", DECOMPOSED_CAFE);
    const parties = await named("category", "🎉 Festas & Aniversários");
    const oldCategory = await named("category", "Categoria arquivada");

    type T = [
      account: number,
      category: number | null,
      user: number,
      cents: bigint,
      date: string,
      text: string,
      reconciled: boolean,
    ];
    const transactions: T[] = [
      [familyAccount, parties, zoe, 9007199254740991n, "2026-11-30", "Maior valor: +(2^53−1) centavos 💰", true],
      [rtlAccount, cafe, yusuf, -9007199254740991n, "2026-11-30", "Menor valor: −(2^53−1) centavos", false],
      [demoChecking, cafeDecomposed, maria.id, 0n, "2026-11-15", "Zero centavos (estorno anulado)", true],
      [demoChecking, null, admin.id, -1234n, "2026-10-10", "Sem categoria (NULL)", false],
      [familyAccount, parties, admin.id, -6900n, "1969-07-20", "Apollo 11 🌕 — antes de 1970", true],
      [familyAccount, null, zoe, 100n, "2101-01-01", "Depois de 2100 🚀", false],
      [demoChecking, demoMarket, admin.id, -1n, "1900-01-01", "Primeiro dia que o formulário aceita", true],
      [demoChecking, demoMarket, admin.id, 1n, "2999-12-31", "Último dia que o formulário aceita", false],
      [familyAccount, cafe, zoe, -4250n, "2026-11-01", longDescription(), false],
      [
        rtlAccount,
        cafeDecomposed,
        yusuf,
        -1999n,
        "2026-11-02",
        "Tab:\t| newline:\n| CRLF:\r\n| backslash: \\ | literal \\N and \\t | \"double\" 'single' `back`",
        true,
      ],
      [rtlAccount, null, yusuf, -500n, "2026-11-03", "\\N", false],
      [familyAccount, parties, maria.id, 250000n, "2026-11-04", "👨‍👩‍👧 mesada · 🏳️‍🌈 · 👩🏽‍💻 · 🇧🇷 · 🧑‍🤝‍🧑", true],
      [rtlAccount, cafe, yusuf, -3200n, "2026-11-05", "دفع الإيجار — שכר דירה — aluguel \u200F(RLM)", false],
      [
        demoChecking,
        cafeDecomposed,
        admin.id,
        -750n,
        "2026-11-06",
        `${DECOMPOSED_CAFE} decomposto vs ${PRECOMPOSED_CAFE} precomposto`,
        true,
      ],
      [oldAccount, oldCategory, noa, -4000n, "2020-02-29", "Conta e categoria arquivadas; autora desativada", true],
      [oldAccount, demoMarket, noa, 12345n, "2026-01-01", "  espaços nas pontas  ", false],
      [demoChecking, oldCategory, semNome, -100n, "2026-11-07", "por usuária sem nome de exibição", false],
      [demoChecking, null, admin.id, -42n, "2026-11-08", "", false],
    ];
    for (const [accountId, categoryId, userId, amountCents, date, description, reconciled] of transactions) {
      const r = await createTransaction(db, {
        familyId,
        userId,
        accountId,
        categoryId,
        amountCents,
        description,
        date,
      });
      if (!r.ok) throw new Error(`createTransaction ${description.slice(0, 40)}: ${r.reason}`);
      if (reconciled && !(await setTransactionReconciled(db, familyId, r.id, true)))
        throw new Error(`setTransactionReconciled ${r.id}`);
    }

    for (const [kind, id] of [
      ["account", oldAccount],
      ["category", oldCategory],
    ] as const)
      if (!(await setAccountOrCategoryArchived(db, { familyId, kind, id, archived: true })))
        throw new Error(`archive ${kind} ${id}`);
    const deactivated = await setUserActive(db, {
      familyId,
      actor: { id: admin.id, username: "admin" },
      userId: noa,
      active: false,
    });
    if (!deactivated.ok) throw new Error(`setUserActive noa: ${deactivated.reason}`);

    await db.event.create({
      data: {
        kind: "fixture-note",
        message: `family "${FAMILY_NAME}" filled by scripts/make-schema-fixtures.ts`,
        details: 'line 1\nline 2\twith a tab, a backslash \\ and "quotes"\r\nline 3 👨‍👩‍👧',
      },
    });
    await createSession(db, zoe, 30);
    // Schema 2: last sign-in times, fixed so that both engines' families agree.
    await db.user.update({ where: { id: admin.id }, data: { lastSignInAt: new Date("2026-11-30T21:15:00.123Z") } });
    await db.user.update({ where: { id: zoe }, data: { lastSignInAt: new Date("1999-12-31T23:59:59.999Z") } });
  } finally {
    await db.$disconnect();
  }
}

async function backUp(target: DatabaseTarget, dir: string): Promise<{ path: string; bytes: number; sha256: string }> {
  const r = await runWimm(["backup", "--out", dir], {
    env: { DATABASE_URL: target.url, WIMM_BACKUP_DIR: join(dir, "backups") },
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`wimm backup on ${target.engine} exited ${r.code}: ${r.stderr}`);
  return r.json as { path: string; bytes: number; sha256: string };
}

function withoutSessions(tables: TableRows): TableRows {
  return Object.fromEntries(Object.entries(tables).filter(([name]) => name !== "sessions"));
}

const rowCounts = (tables: TableRows, sessions: number) =>
  Object.fromEntries(TABLES.map((t) => [t.name, t.name === "sessions" ? sessions : tables[t.name]!.length]));

/** The two families agree column by column, except the columns each instance fills itself. */
const DIFFERS: Record<string, string> = {
  "*.created_at":
    "the time each row was written on its own instance (Prisma's now()), except the 12 demo transactions, whose created_at is the seed's fixed clock",
  "users.password_hash":
    "scrypt with a random salt; the same passwords (scripts/make-schema-fixtures.ts FIXTURE_PASSWORDS)",
  "app_meta.backup_created_at":
    "since schema 2 a SQLite backup records when it was made in its app_meta (a dump's archive header holds that); restores never carry it",
};

/** app_meta without the SQLite backup's own creation time: what the source and the file share. */
const withoutBackupTime = (tables: TableRows): TableRows => ({
  ...tables,
  app_meta: tables.app_meta!.filter((r) => r.key !== "backup_created_at"),
});

function compareFamilies(a: TableRows, b: TableRows): string[] {
  const problems: string[] = [];
  for (const table of TABLES) {
    if (table.name === "sessions") continue;
    const x = a[table.name]!;
    const y = b[table.name]!;
    if (x.length !== y.length) problems.push(`${table.name}: ${x.length} vs ${y.length} rows`);
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      for (const key of new Set([...Object.keys(x[i]!), ...Object.keys(y[i]!)])) {
        if (key === "created_at" || (table.name === "users" && key === "password_hash")) continue;
        if (JSON.stringify(x[i]![key]) !== JSON.stringify(y[i]![key]))
          problems.push(
            `${table.name} row ${i + 1} ${key}: ${JSON.stringify(x[i]![key])} vs ${JSON.stringify(y[i]![key])}`,
          );
      }
  }
  return problems;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
const toolVersion = (tool: string) => execFileSync(tool, ["--version"], { encoding: "utf8" }).trim();

function readme(version: number, expected: FixtureExpectations): string {
  const files = Object.entries(expected.fixtures)
    .map(
      ([name, f]) =>
        `- \`${name}\` — \`./bin/wimm backup\` of a ${f.engine === "sqlite" ? "SQLite" : "PostgreSQL"} instance (${f.bytes} bytes, SHA-256 \`${f.sha256}\`)`,
    )
    .join("\n");
  return `# Fixture backups of schema version ${version}

Frozen: made once and **never regenerated**. Every later schema version adds its own
\`schema-N/\` folder beside this one; \`tests/schema-fixtures.test.ts\` restores every fixture of
every folder, on both engines, for as long as the app exists. Do not edit, reformat or
remake these files (the test checks their SHA-256).

${files}
- \`expected.json\` — what each file must restore to: every row of every table but sessions,
  field by field, as read through the app's Prisma client (\`tests/helpers/schema-fixtures.ts\`:
  64-bit integers as decimal strings, dates as ISO 8601 UTC with milliseconds), the row
  counts, the app's checksums per table (\`lib/db/checksum.ts\`) and each file's size and SHA-256.

Made by \`scripts/make-schema-fixtures.ts\` at commit \`${expected.madeBy.commit}\`
(${expected.madeBy.at}; ${expected.madeBy.node}, ${expected.madeBy.postgres}, ${expected.madeBy.pgDump}):
the same family written through the app's own functions on a SQLite and on a PostgreSQL
instance, each then backed up by the real \`./bin/wimm backup --out\`. The two files hold the
same family; they differ only in ${Object.keys(expected.engineDifferences)
    .map((k) => `\`${k}\``)
    .join(" and ")}
(see \`engineDifferences\` in \`expected.json\`).

The family holds:

${expected.holds.map((h) => `- ${h}`).join("\n")}

Passwords (fixture data): ${Object.entries(FIXTURE_PASSWORDS)
    .map(([u, p]) => `\`${u}\` / \`${p}\``)
    .join(", ")}.
`;
}

async function main() {
  const root = resolve(process.argv[2] ?? FIXTURES_ROOT);
  const version = latestSchemaVersion("sqlite");
  if (latestSchemaVersion("postgresql") !== version)
    throw new Error("the two engines' migrations disagree on the schema version");
  const folder = join(root, `schema-${version}`);
  if (existsSync(folder)) {
    console.error(
      `[FIXTURES] ${folder} exists: fixtures are made once per schema version and never regenerated. Nothing written.`,
    );
    process.exit(2);
  }
  const dirty = git("status", "--porcelain");
  if (root === FIXTURES_ROOT && dirty) {
    console.error(
      `[FIXTURES] the worktree has uncommitted changes; commit them first so the README can name the code that made the files:\n${dirty}`,
    );
    process.exit(2);
  }
  const commit = git("rev-parse", "HEAD") + (dirty ? "-dirty" : "");

  const work = mkdtempSync(join(tmpdir(), "wimm-fixtures-"));
  const sqlite = await sqliteInstance(work);
  const postgres = await postgresInstance();
  try {
    await fillFamily(sqlite.target);
    await fillFamily(postgres.target);
    const sqliteBackup = await backUp(sqlite.target, join(work, "out-sqlite"));
    const pgBackup = await backUp(postgres.target, join(work, "out-postgresql"));

    // The SQLite file itself: read a copy through the app's client (nothing opens the original for writing).
    const copy = join(work, "read-back.sqlite3");
    copyFileSync(sqliteBackup.path, copy);
    const copyTarget = parseDatabaseUrl(`file:${copy}`);
    const sqliteRows = await readTablesThroughPrisma(copyTarget);
    const sqliteChecksums = await computeChecksums(copyTarget);
    const sqliteSource = await readTablesThroughPrisma(sqlite.target);
    if (sqliteRows.sessions!.length !== 0) throw new Error("the SQLite backup carries sessions");
    if (
      JSON.stringify(withoutSessions(withoutBackupTime(sqliteRows))) !==
      JSON.stringify(withoutSessions(withoutBackupTime(sqliteSource)))
    )
      throw new Error("the SQLite backup's rows differ from its source's");
    const sourceChecksums = await computeChecksums(sqlite.target);
    const drift = diffChecksums(sourceChecksums, sqliteChecksums, ["sessions", "app_meta"]);
    if (drift.length) throw new Error(`the SQLite backup's checksums differ from its source's: ${drift.join("; ")}`);

    // The dump: the source instance as dumped (the dump leaves the sessions' data out).
    const pgRows = await readTablesThroughPrisma(postgres.target);
    if (pgRows.sessions!.length !== 1) throw new Error("expected the one session of the PostgreSQL source");
    const pgChecksums: Checksums = { ...(await computeChecksums(postgres.target)), sessions: EMPTY_TABLE };

    const problems = compareFamilies(withoutBackupTime(sqliteRows), pgRows);
    if (problems.length)
      throw new Error(`the two families differ beyond ${Object.keys(DIFFERS).join(", ")}:\n${problems.join("\n")}`);

    const file = (
      engine: "sqlite" | "postgresql",
      b: typeof sqliteBackup,
      rows: TableRows,
      checksums: Checksums,
    ): FixtureFile => ({
      engine,
      bytes: b.bytes,
      sha256: b.sha256,
      rowCounts: rowCounts(rows, 0),
      checksums: Object.fromEntries(TABLES.map((t) => [t.name, checksums[t.name]!])),
      tables: withoutSessions(rows) as Record<string, Row[]>,
    });
    const pgVersion = await (async () => {
      if (postgres.target.engine !== "postgresql") throw new Error("unreachable");
      const client = new pg.Client({ connectionString: postgres.target.url });
      await client.connect();
      try {
        return (await client.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v.split(" on ")[0]!;
      } finally {
        await client.end();
      }
    })();
    const expected: FixtureExpectations = {
      format: "wimm-schema-fixture/1",
      schemaVersion: version,
      madeBy: {
        commit,
        script: "scripts/make-schema-fixtures.ts",
        at: new Date().toISOString(),
        node: `Node ${process.version}`,
        postgres: pgVersion,
        pgDump: toolVersion(findPgTool("pg_dump")),
      },
      representation:
        "tables: every row of every table but sessions, ordered by id (app_meta by key), keyed by column name (lib/db/tables.ts), " +
        "as read through the app's Prisma client: int → JSON number, bigint → decimal string, bool → true/false, " +
        "datetime → ISO 8601 UTC with milliseconds, text → JSON string as is, NULL → null. " +
        "checksums: lib/db/checksum.ts computeChecksums of what each file holds (sessions: none).",
      holds: HOLDS,
      engineDifferences: DIFFERS,
      fixtures: {
        "family.sqlite3": file("sqlite", sqliteBackup, sqliteRows, sqliteChecksums),
        "family.dump": file("postgresql", pgBackup, pgRows, pgChecksums),
      },
    };

    mkdirSync(folder, { recursive: true });
    for (const [name, from] of [
      ["family.sqlite3", sqliteBackup.path],
      ["family.dump", pgBackup.path],
    ] as const) {
      copyFileSync(from, join(folder, name));
      chmodSync(join(folder, name), 0o644);
    }
    writeFileSync(join(folder, "expected.json"), JSON.stringify(expected, null, 2) + "\n");
    writeFileSync(join(folder, "README.md"), readme(version, expected));
    console.log(
      JSON.stringify(
        { folder, commit, files: Object.fromEntries(Object.entries(expected.fixtures).map(([n, f]) => [n, f.bytes])) },
        null,
        2,
      ),
    );
  } finally {
    await postgres.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
