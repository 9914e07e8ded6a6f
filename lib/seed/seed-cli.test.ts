/**
 * `./bin/wimm seed`, `info` and `reset-password`, run as the real CLI (a child process with
 * its own environment), the way setup.sh and operators use them. The database is checked
 * through `info` and through the app's own client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, enginesUnderTest, querySql, type TestDatabase } from "../../tests/helpers/databases.ts";
import { runWimm } from "../../tests/helpers/cli.ts";
import { authenticate } from "../auth/authenticate.ts";
import { createPrismaClient } from "../db/client.ts";
import { latestSchemaVersion } from "../db/schema.ts";
import type { DatabaseTarget } from "../db/url.ts";
import { DEMO_ACCOUNTS, DEMO_CATEGORIES } from "./demo-data.ts";

const ADMIN_PASSWORD = "admin-seed-test-1";
const MEMBER_PASSWORD = "maria-seed-test-1";

type SeedOutput = {
  engine: string;
  family: string;
  users: { username: string; role: string; password?: string }[];
  accounts: number;
  categories: number;
  transactions: number;
};
type InfoOutput = {
  engine: string;
  schemaVersion: number;
  appSchemaVersion: number;
  family: string;
  rows: Record<string, number>;
};

async function login(target: DatabaseTarget, username: string, password: string) {
  const db = await createPrismaClient(target);
  try {
    return await authenticate(db, username, password);
  } finally {
    await db.$disconnect();
  }
}

describe.each(enginesUnderTest)("./bin/wimm seed on %s", (engine) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let seeded: Awaited<ReturnType<typeof runWimm>>;

  beforeAll(async () => {
    database = await createTarget(engine);
    env = {
      DATABASE_URL: database.target.url,
      WIMM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WIMM_MEMBER_PASSWORD: MEMBER_PASSWORD,
      WIMM_FAMILY_NAME: "Família Conceição",
    };
    seeded = await runWimm(["seed", "--transactions", "1000"], { env });
  });
  afterAll(() => database?.cleanup());

  it("exits 0 and reports what it created as JSON on stdout", () => {
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.json).toMatchObject({
      engine,
      family: "Família Conceição",
      users: [
        { username: "admin", role: "admin" },
        { username: "maria", role: "member", password: MEMBER_PASSWORD },
      ],
      accounts: 4,
      categories: 8,
      transactions: 1000,
    } satisfies Partial<SeedOutput>);
    // The admin password came from the environment: it is not echoed back.
    expect((seeded.json as SeedOutput).users[0]!.password).toBeUndefined();
  });

  it("wimm info counts exactly what seed wrote", async () => {
    const info = await runWimm(["info"], { env });
    expect(info.code, info.stderr).toBe(0);
    const out = info.json as InfoOutput;
    expect(out).toMatchObject({ engine, family: "Família Conceição", schemaVersion: latestSchemaVersion(engine) });
    expect(out.appSchemaVersion).toBe(out.schemaVersion);
    expect(out.rows).toMatchObject({
      transactions: 1000,
      accounts: 4,
      categories: 8,
      users: 2,
      families: 1,
      sessions: 0,
    });
  });

  it("wrote the demo accounts, categories and a plausible ledger", async () => {
    const db = await createPrismaClient(database.target);
    try {
      expect((await db.account.findMany({ orderBy: { id: "asc" } })).map((a) => a.name)).toEqual(DEMO_ACCOUNTS);
      expect((await db.category.findMany({ orderBy: { id: "asc" } })).map((c) => c.name)).toEqual(DEMO_CATEGORIES);
      const income = await db.transaction.count({ where: { amountCents: { gt: 0 } } });
      expect(income).toBe(33); // every 30th entry is a salary: 1000 / 30
      const last = await db.transaction.findFirstOrThrow({ orderBy: { occurredAt: "desc" } });
      expect(last.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(typeof last.amountCents).toBe("bigint");
    } finally {
      await db.$disconnect();
    }
  });

  it("logs in with the passwords from the environment", async () => {
    expect(await login(database.target, "admin", ADMIN_PASSWORD)).toMatchObject({ username: "admin", role: "admin" });
    expect(await login(database.target, "maria", MEMBER_PASSWORD)).toMatchObject({ username: "maria", role: "member" });
  });

  it("refuses a second seed with exit code 2 and leaves the data as it was", async () => {
    const again = await runWimm(["seed", "--transactions", "5"], { env });
    expect(again.code).toBe(2);
    expect(again.json).toMatchObject({ success: false });
    expect(again.stderr).toContain("[SEED]");
    const info = await runWimm(["info"], { env });
    expect((info.json as InfoOutput).rows).toMatchObject({ transactions: 1000, accounts: 4, users: 2 });
  });

  it("reset-password reads the new password from stdin: the new one works, the old one no longer", async () => {
    const reset = await runWimm(["reset-password", "maria"], { env, stdin: "a-brand-new-password\n" });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json).toMatchObject({ success: true, username: "maria" });
    expect(await login(database.target, "maria", "a-brand-new-password")).toMatchObject({ username: "maria" });
    expect(await login(database.target, "maria", MEMBER_PASSWORD)).toBeNull();
    // The admin is untouched.
    expect(await login(database.target, "admin", ADMIN_PASSWORD)).not.toBeNull();
    // On record, as a reset from the users page is.
    const events = await querySql<{ message: string }>(
      database.target,
      "SELECT message FROM events WHERE kind = 'user-password-reset' ORDER BY id",
    );
    expect(events.map((e) => e.message)).toEqual(["password of maria reset from the command line; 0 session(s) ended"]);
  });

  it("reset-password refuses an unknown user and a short password with exit code 2", async () => {
    expect((await runWimm(["reset-password", "nobody"], { env, stdin: "long-enough-password\n" })).code).toBe(2);
    expect((await runWimm(["reset-password", "admin"], { env, stdin: "short\n" })).code).toBe(2);
    expect(await login(database.target, "admin", ADMIN_PASSWORD)).not.toBeNull();
  });
});

describe("./bin/wimm seed without WIMM_ADMIN_PASSWORD", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTarget("sqlite");
  });
  afterAll(() => database?.cleanup());

  it("generates the admin and member passwords and prints them, and they work", async () => {
    const seeded = await runWimm(["seed", "--transactions", "0"], { env: { DATABASE_URL: database.target.url } });
    expect(seeded.code, seeded.stderr).toBe(0);
    const users = (seeded.json as SeedOutput).users;
    const admin = users.find((u) => u.username === "admin");
    const member = users.find((u) => u.username === "maria");
    expect(admin?.password).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);
    expect(member?.password).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);
    expect(seeded.stderr).toContain(admin!.password!);
    expect(await login(database.target, "admin", admin!.password!)).toMatchObject({ role: "admin" });
    expect(await login(database.target, "maria", member!.password!)).toMatchObject({ role: "member" });
  });

  it("rejects a bad --transactions value with exit code 2", async () => {
    const result = await runWimm(["seed", "--transactions", "lots"], { env: { DATABASE_URL: database.target.url } });
    expect(result.code).toBe(2);
  });
});
