/**
 * `wimm seed`: fill an empty database with the demo family. Accounts, categories and users
 * go through Prisma; the transactions, up to millions of them, are bulk-loaded (one SQLite
 * transaction with a prepared statement, or PostgreSQL COPY) so that N = 1,000,000 takes
 * seconds, which is how tests and the benchmark build big databases. Being below Prisma, the
 * bulk load writes the derived search_text itself (foldForSearch of each description).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Env } from "../env.ts";
import { canonicalDateTime, escapeCopyText } from "../db/checksum.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { createPrismaClient } from "../db/client.ts";
import { foldForSearch } from "../db/fold.ts";
import type { DatabaseTarget } from "../db/url.ts";
import { generatePassword, hashPassword } from "../auth/password.ts";
import { log } from "../log.ts";
import { DEMO_ACCOUNTS, DEMO_CATEGORIES, demoTransactions, prismaSqliteDate } from "./demo-data.ts";

export type SeedOptions = { transactions: number; memberPassword?: string; now?: number };

export type SeedResult = {
  engine: DatabaseTarget["engine"];
  family: string;
  users: { username: string; role: string; password?: string }[];
  accounts: number;
  categories: number;
  transactions: number;
  seconds: number;
};

export class SeedRefused extends Error {}

export const DEMO_MEMBER = "maria";

export async function seedDatabase(target: DatabaseTarget, env: Env, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const boot = await bootstrapDatabase(target, env);
  const db = await createPrismaClient(target);
  let ids: { accounts: number[]; categories: number[]; users: number[] };
  let familyName: string;
  const users: SeedResult["users"] = [];
  try {
    const [accounts, transactions] = await Promise.all([db.account.count(), db.transaction.count()]);
    if (accounts > 0 || transactions > 0) {
      throw new SeedRefused(
        `The database already holds ${accounts} accounts and ${transactions} transactions; seed fills only an empty one.`,
      );
    }
    const family = await db.family.findFirstOrThrow({ orderBy: { id: "asc" } });
    familyName = family.name;
    const admin = await db.user.findFirstOrThrow({
      where: { familyId: family.id, role: "admin" },
      orderBy: { id: "asc" },
    });
    users.push({
      username: admin.username,
      role: "admin",
      ...(boot.generatedAdminPassword ? { password: boot.generatedAdminPassword } : {}),
    });

    const memberPassword = options.memberPassword ?? process.env.WIMM_MEMBER_PASSWORD ?? generatePassword();
    const member =
      (await db.user.findUnique({ where: { username: DEMO_MEMBER } })) ??
      (await db.user.create({
        data: {
          familyId: family.id,
          username: DEMO_MEMBER,
          displayName: "Maria Conceição",
          passwordHash: await hashPassword(memberPassword),
          role: "member",
        },
      }));
    users.push({ username: member.username, role: member.role, password: memberPassword });

    const accountIds: number[] = [];
    for (const name of DEMO_ACCOUNTS)
      accountIds.push((await db.account.create({ data: { familyId: family.id, name } })).id);
    const categoryIds: number[] = [];
    for (const name of DEMO_CATEGORIES)
      categoryIds.push((await db.category.create({ data: { familyId: family.id, name } })).id);
    ids = { accounts: accountIds, categories: categoryIds, users: [admin.id, member.id] };
  } finally {
    await db.$disconnect();
  }

  const now = options.now ?? Date.now();
  log("SEED", `loading ${options.transactions} transactions into ${target.engine}`);
  if (target.engine === "sqlite") loadSqlite(target.path, options.transactions, now, ids);
  else await loadPostgres(target.url, options.transactions, now, ids);
  const seconds = (performance.now() - started) / 1000;
  log("SEED", `done in ${seconds.toFixed(1)} s`);
  return {
    engine: target.engine,
    family: familyName,
    users,
    accounts: DEMO_ACCOUNTS.length,
    categories: DEMO_CATEGORIES.length,
    transactions: options.transactions,
    seconds: Math.round(seconds * 10) / 10,
  };
}

type Ids = { accounts: number[]; categories: number[]; users: number[] };

/** foldForSearch once per distinct text: the demo repeats about a dozen descriptions a million times. */
function foldOnce(): (text: string) => string {
  const folded = new Map<string, string>();
  return (text) => {
    let result = folded.get(text);
    if (result === undefined) folded.set(text, (result = foldForSearch(text)));
    return result;
  };
}

function loadSqlite(path: string, n: number, now: number, ids: Ids) {
  const db = new Database(path, { timeout: 15000 });
  try {
    db.pragma("foreign_keys = ON");
    const insert = db.prepare(
      `INSERT INTO transactions (account_id, category_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const createdAt = prismaSqliteDate(now);
    const fold = foldOnce();
    db.transaction(() => {
      for (const t of demoTransactions(n, now)) {
        insert.run(
          ids.accounts[t.accountIndex],
          t.categoryIndex === null ? null : ids.categories[t.categoryIndex],
          ids.users[t.userIndex],
          t.amountCents,
          t.description,
          fold(t.description),
          prismaSqliteDate(t.occurredAtMs),
          t.reconciled ? 1 : 0,
          createdAt,
        );
      }
    })();
  } finally {
    db.close();
  }
}

async function loadPostgres(url: string, n: number, now: number, ids: Ids) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const createdAt = canonicalDateTime(now);
    const fold = foldOnce();
    function* lines() {
      let chunk = "";
      let count = 0;
      for (const t of demoTransactions(n, now)) {
        chunk +=
          `${ids.accounts[t.accountIndex]}\t${t.categoryIndex === null ? "\\N" : ids.categories[t.categoryIndex]}\t` +
          `${ids.users[t.userIndex]}\t${t.amountCents}\t${escapeCopyText(t.description)}\t` +
          `${escapeCopyText(fold(t.description))}\t${canonicalDateTime(t.occurredAtMs)}\t` +
          `${t.reconciled ? "t" : "f"}\t${createdAt}\n`;
        if (++count === 2000) {
          yield chunk;
          chunk = "";
          count = 0;
        }
      }
      if (chunk) yield chunk;
    }
    await client.query("BEGIN");
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          "COPY transactions (account_id, category_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at) FROM STDIN",
        ),
      ),
    );
    await client.query("COMMIT");
    await client.query("ANALYZE transactions");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
