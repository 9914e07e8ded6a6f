/**
 * The transactions search on real SQLite and PostgreSQL databases: accents and case do not
 * count (both sides are folded by lib/db/fold.ts), every write of a description writes its
 * folded search_text, the seed's bulk load included, and on PostgreSQL the trigram index
 * can serve the query Prisma sends.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, enginesUnderTest, querySql, type TestDatabase } from "../../tests/helpers/databases.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { foldForSearch } from "../db/fold.ts";
import { getEnv } from "../env.ts";
import { seedDatabase } from "../seed/seed-database.ts";
import { createTransaction } from "./create-transaction.ts";
import { listTransactions } from "./list-transactions.ts";
import { updateTransaction } from "./update-transaction.ts";

const PRECOMPOSED_CAFE = "Caf\u00e9 da esquina";
const DECOMPOSED_CAFE = "Cafe\u0301 com leite";

const env = () => getEnv({ NODE_ENV: "test", WIMM_ADMIN_PASSWORD: "search-test-password" });

describe.each(enginesUnderTest)("transactions search on %s", (engine) => {
  let database: TestDatabase;
  let db: Db;
  let familyId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTarget(engine);
    await bootstrapDatabase(database.target, env());
    db = await createPrismaClient(database.target);
    const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    familyId = admin.familyId;
    const accountId = (await db.account.create({ data: { familyId, name: "Checking" } })).id;
    const descriptions: Record<string, string> = {
      bakery: "Padaria São João ☕",
      precomposed: PRECOMPOSED_CAFE,
      decomposed: DECOMPOSED_CAFE,
      uber: "Uber 🚗",
      path: "C:\\temp\\notas",
    };
    for (const [key, description] of Object.entries(descriptions)) {
      const created = await createTransaction(db, {
        familyId,
        userId: admin.id,
        accountId,
        categoryId: null,
        amountCents: -100n,
        description,
        date: "2026-03-01",
      });
      if (!created.ok) throw new Error(created.reason);
      ids[key] = created.id;
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.cleanup();
  });

  const found = async (q: string) =>
    (await listTransactions(db, familyId, 1, 50, { filter: { q }, engine })).rows
      .map((r) => r.id)
      .sort((a, b) => a - b);

  it("writes the folded description beside it", async () => {
    const rows = await querySql<{ description: string; search_text: string }>(
      database.target,
      "SELECT description, search_text FROM transactions WHERE id = ?",
      [ids.decomposed],
    );
    expect(rows).toEqual([{ description: DECOMPOSED_CAFE, search_text: "cafe com leite" }]);
  });

  it("finds São João whatever the accents and case of the search", async () => {
    for (const q of ["sao joao", "SÃO JOÃO", "São João", "SAO JOAO", "padaria são"])
      expect(await found(q), q).toEqual([ids.bakery]);
  });

  it("finds Café written precomposed and decomposed, by either spelling and any case", async () => {
    for (const q of ["cafe", "CAFE", "café", "CAFÉ", "Cafe\u0301", "caf\u00e9"])
      expect(await found(q), q).toEqual([ids.precomposed, ids.decomposed]);
    expect(await found("cafe com")).toEqual([ids.decomposed]);
  });

  it("follows an edited description", async () => {
    const row = await db.transaction.findUniqueOrThrow({ where: { id: ids.uber } });
    const changed = await updateTransaction(db, {
      familyId,
      id: ids.uber!,
      accountId: row.accountId,
      categoryId: row.categoryId,
      amountCents: row.amountCents,
      description: "Pão de queijo",
      date: "2026-03-01",
    });
    expect(changed).toEqual({ ok: true });
    expect(await found("pao de queijo")).toEqual([ids.uber]);
    expect(await found("uber")).toEqual([]);
  });

  it("takes a backslash literally, trailing too, and `%` and `_` as wildcards, alike on both engines", async () => {
    expect(await found("c:\\temp")).toEqual([ids.path]);
    expect(await found("temp\\")).toEqual([ids.path]);
    expect(await found("\\")).toEqual([ids.path]);
    expect(await found("c:\\\\")).toEqual([]);
    // Prisma does not escape them (transaction-filter.ts says why we do not either).
    expect(await found("padaria%joao")).toEqual([ids.bakery]);
    expect(await found("s_o jo_o")).toEqual([ids.bakery]);
  });
});

describe.each(enginesUnderTest)("the seed on %s", (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTarget(engine);
    await seedDatabase(database.target, env(), { transactions: 600, memberPassword: "member-password-1" });
  });

  afterAll(async () => {
    await database?.cleanup();
  });

  it("writes every transaction's search_text as the folded description (its bulk load is below Prisma)", async () => {
    const rows = await querySql<{ description: string; search_text: string }>(
      database.target,
      "SELECT description, search_text FROM transactions ORDER BY id",
    );
    expect(rows).toHaveLength(600);
    const wrong = rows.filter((r) => r.search_text !== foldForSearch(r.description));
    expect(wrong).toEqual([]);
    // Every demo description, accented ones among them, took part.
    expect(new Set(rows.map((r) => r.description)).size).toBe(13);
    expect(rows.some((r) => r.search_text === "padaria sao joao ☕")).toBe(true);
  });

  it.runIf(engine === "postgresql")(
    "on PostgreSQL, the trigram index can serve the search as Prisma sends it",
    async () => {
      const { target } = database;
      if (target.engine !== "postgresql") throw new Error("PostgreSQL only");
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        // 600 rows are few enough that a scan is cheaper; what is checked is that the index can
        // serve the predicate Prisma writes (`search_text::text LIKE $1`).
        await client.query("SET enable_seqscan = off");
        const plan = await client.query<{ "QUERY PLAN": string }>(
          `EXPLAIN SELECT id FROM transactions WHERE "public"."transactions"."search_text"::text LIKE $1`,
          [`%${foldForSearch("SÃO JOÃO")}%`],
        );
        expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("transactions_search_text_trgm_idx");
      } finally {
        await client.end();
      }
    },
  );
});
