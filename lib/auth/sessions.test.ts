import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTarget, enginesUnderTest, type TestDatabase } from "../../tests/helpers/databases.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { authenticate } from "./authenticate.ts";
import { hashPassword } from "./password.ts";
import { createSession, deleteAllSessions, deleteSession, findSessionUser, hashToken } from "./sessions.ts";

const ADMIN_PASSWORD = "admin-test-password";

describe.each(enginesUnderTest)("auth on a real %s database", (engine) => {
  let database: TestDatabase;
  let db: Db;
  let adminId: number;
  let memberId: number;
  let familyId: number;

  beforeAll(async () => {
    database = await createTarget(engine);
    const env = getEnv({ NODE_ENV: "test", WIMM_ADMIN_PASSWORD: ADMIN_PASSWORD, WIMM_FAMILY_NAME: "Família Teste" });
    await bootstrapDatabase(database.target, env);
    db = await createPrismaClient(database.target);
    const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    adminId = admin.id;
    familyId = admin.familyId;
    memberId = (
      await db.user.create({
        data: {
          familyId: admin.familyId,
          username: "maria",
          passwordHash: await hashPassword("maria-password"),
          role: "member",
        },
      })
    ).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.cleanup();
  });

  beforeEach(async () => {
    await db.session.deleteMany({});
    await db.user.updateMany({ data: { active: true } });
  });

  describe("sessions", () => {
    it("creates a session storing only the token's hash, and finds its user by the token", async () => {
      const { token, expiresAt } = await createSession(db, adminId, 30);
      expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
      const rows = await db.session.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tokenHash).toBe(hashToken(token));
      expect(rows[0]!.tokenHash).not.toContain(token);
      expect(await findSessionUser(db, token, 30)).toEqual({
        id: adminId,
        username: "admin",
        displayName: "Administrator",
        role: "admin",
        familyId,
      });
    });

    it("returns null for a missing, unknown or absurdly long token", async () => {
      await createSession(db, adminId, 30);
      expect(await findSessionUser(db, undefined, 30)).toBeNull();
      expect(await findSessionUser(db, "", 30)).toBeNull();
      expect(await findSessionUser(db, "not-a-token", 30)).toBeNull();
      expect(await findSessionUser(db, "x".repeat(500), 30)).toBeNull();
      expect(await db.session.count()).toBe(1);
    });

    it("returns null for an expired session and deletes it", async () => {
      const { token } = await createSession(db, memberId, 30);
      await db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      expect(await findSessionUser(db, token, 30)).toBeNull();
      expect(await db.session.count()).toBe(0);
    });

    it("renews a session used after more than an hour (sliding expiry)", async () => {
      const { token } = await createSession(db, memberId, 30);
      const old = new Date(Date.now() - 2 * 3_600_000);
      await db.session.updateMany({ data: { lastSeenAt: old, expiresAt: new Date(Date.now() + 86_400_000) } });
      expect((await findSessionUser(db, token, 30))?.username).toBe("maria");
      const row = await db.session.findFirstOrThrow();
      expect(row.lastSeenAt.getTime()).toBeGreaterThan(old.getTime());
      expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    });

    it("deleteSession ends that session only", async () => {
      const a = await createSession(db, adminId, 30);
      const b = await createSession(db, memberId, 30);
      await deleteSession(db, a.token);
      expect(await findSessionUser(db, a.token, 30)).toBeNull();
      expect((await findSessionUser(db, b.token, 30))?.username).toBe("maria");
      await deleteSession(db, undefined);
      expect(await db.session.count()).toBe(1);
    });

    it("returns null for a deactivated user's session", async () => {
      const { token } = await createSession(db, memberId, 30);
      await db.user.update({ where: { id: memberId }, data: { active: false } });
      expect(await findSessionUser(db, token, 30)).toBeNull();
    });

    it("deleteAllSessions ends every session and says how many", async () => {
      const tokens = [
        (await createSession(db, adminId, 30)).token,
        (await createSession(db, adminId, 30)).token,
        (await createSession(db, memberId, 30)).token,
      ];
      expect(await deleteAllSessions(db)).toBe(3);
      expect(await db.session.count()).toBe(0);
      for (const token of tokens) expect(await findSessionUser(db, token, 30)).toBeNull();
    });
  });

  describe("authenticate", () => {
    it("returns the user for the right password", async () => {
      expect(await authenticate(db, "admin", ADMIN_PASSWORD)).toMatchObject({
        id: adminId,
        username: "admin",
        role: "admin",
      });
      expect(await authenticate(db, "maria", "maria-password")).toMatchObject({ id: memberId, role: "member" });
    });

    it("returns null for a wrong password, an unknown user or a deactivated one", async () => {
      expect(await authenticate(db, "admin", "wrong-password")).toBeNull();
      expect(await authenticate(db, "admin", ADMIN_PASSWORD.toUpperCase())).toBeNull();
      expect(await authenticate(db, "nobody", ADMIN_PASSWORD)).toBeNull();
      expect(await authenticate(db, "Admin", ADMIN_PASSWORD)).toBeNull();
      await db.user.update({ where: { id: memberId }, data: { active: false } });
      expect(await authenticate(db, "maria", "maria-password")).toBeNull();
    });
  });
});
