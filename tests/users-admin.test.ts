/**
 * The user-admin core (lib/users) and sign-in throttling on real SQLite and PostgreSQL
 * databases: every rule is checked against the rows (users, sessions, events), and every
 * session that should end is shown to open nothing afterwards.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "../lib/app/bootstrap.ts";
import { authenticate } from "../lib/auth/authenticate.ts";
import { createLoginThrottle } from "../lib/auth/login-throttle.ts";
import { verifyPassword } from "../lib/auth/password.ts";
import { createSession, createSignInSession, findSessionUser, hashToken } from "../lib/auth/sessions.ts";
import { signIn } from "../lib/auth/sign-in.ts";
import { createPrismaClient, type Db } from "../lib/db/client.ts";
import { getEnv } from "../lib/env.ts";
import { addUser } from "../lib/users/add-user.ts";
import { lockFamily } from "../lib/users/family-lock.ts";
import { changeOwnPassword } from "../lib/users/change-own-password.ts";
import { changeUserRole } from "../lib/users/change-user-role.ts";
import { listUsers } from "../lib/users/list-users.ts";
import { resetUserPassword } from "../lib/users/reset-user-password.ts";
import { setUserActive } from "../lib/users/set-user-active.ts";
import { createTarget, enginesUnderTest, querySql, type TestDatabase } from "./helpers/databases.ts";

const ADMIN_PASSWORD = "admin-password-1";
const DAYS = 30;

describe.each(enginesUnderTest)("user admin on a real %s database", (engine) => {
  let database: TestDatabase;
  let db: Db;
  let familyId: number;
  let admin: { id: number; username: string };

  const sessionsOf = (userId: number) => db.session.count({ where: { userId } });
  const eventsOf = (kind: string) => db.event.findMany({ where: { kind }, orderBy: { id: "asc" } });

  /** A fresh user of the family (unique name per call), with `sessions` open sessions. */
  let serial = 0;
  async function makeUser(role: "admin" | "member", sessions = 0) {
    const username = `${role}-${++serial}`;
    const result = await addUser(db, {
      familyId,
      actor: admin.username,
      username,
      displayName: null,
      role,
      password: `${username}-password`,
    });
    if (!result.ok) throw new Error(result.reason);
    const tokens = [];
    for (let i = 0; i < sessions; i++) tokens.push((await createSession(db, result.id, DAYS)).token);
    return { id: result.id, username, password: `${username}-password`, tokens };
  }

  beforeAll(async () => {
    database = await createTarget(engine);
    await bootstrapDatabase(database.target, getEnv({ NODE_ENV: "test", WIMM_ADMIN_PASSWORD: ADMIN_PASSWORD }));
    db = await createPrismaClient(database.target);
    const row = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    familyId = row.familyId;
    admin = { id: row.id, username: row.username };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.cleanup();
  });

  beforeEach(async () => {
    // Only the bootstrap admin is an admin at the start of each test.
    await db.user.updateMany({ where: { id: { not: admin.id } }, data: { role: "member" } });
    await db.user.update({ where: { id: admin.id }, data: { role: "admin", active: true } });
  });

  describe("addUser", () => {
    it("adds a member with a hashed password who can sign in, and records the event", async () => {
      const result = await addUser(db, {
        familyId,
        actor: "admin",
        username: "joana",
        displayName: "Joana Silva",
        role: "member",
        password: "joana-secret",
      });
      expect(result).toMatchObject({ ok: true });
      const row = await db.user.findUniqueOrThrow({ where: { username: "joana" } });
      expect(row).toMatchObject({ familyId, displayName: "Joana Silva", role: "member", active: true });
      expect(row.passwordHash).not.toContain("joana-secret");
      expect(await verifyPassword("joana-secret", row.passwordHash)).toBe(true);
      expect(await authenticate(db, "joana", "joana-secret")).toMatchObject({ id: row.id, role: "member" });
      expect((await eventsOf("user-added")).at(-1)?.message).toBe("admin added joana as member");
      // The list shows them as never signed in (checking a password is not signing in).
      expect((await listUsers(db, familyId)).find((u) => u.username === "joana")).toMatchObject({
        role: "member",
        active: true,
        lastSignInAt: null,
      });
    });

    it("refuses a username that is taken, leaving the first user as it was", async () => {
      const first = await makeUser("member");
      const before = await db.user.count();
      const again = await addUser(db, {
        familyId,
        actor: "admin",
        username: first.username,
        displayName: "Impostor",
        role: "admin",
        password: "other-password",
      });
      expect(again).toEqual({ ok: false, reason: "USERNAME_TAKEN" });
      expect(await db.user.count()).toBe(before);
      const row = await db.user.findUniqueOrThrow({ where: { username: first.username } });
      expect(row).toMatchObject({ role: "member", displayName: null });
      expect(await verifyPassword(first.password, row.passwordHash)).toBe(true);
    });

    it("two admins adding the same username at once: one user, the other told it is taken", async () => {
      const second = await createPrismaClient(database.target);
      try {
        const input = { familyId, actor: "admin", displayName: null, role: "member" as const, password: "pw-123456" };
        const results = await Promise.all([
          addUser(db, { ...input, username: "twin" }),
          // On PostgreSQL a second client is a second connection: the unique index decides.
          addUser(engine === "postgresql" ? second : db, { ...input, username: "twin" }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "USERNAME_TAKEN" }]);
        expect(await db.user.count({ where: { username: "twin" } })).toBe(1);
      } finally {
        await second.$disconnect();
      }
    });
  });

  describe("changeUserRole", () => {
    it("promotes and demotes, recording each change; the role counts at the next request", async () => {
      const member = await makeUser("member", 1);
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: member.id, role: "admin" })).toEqual({
        ok: true,
        changed: true,
      });
      expect((await findSessionUser(db, member.tokens[0], DAYS))?.role).toBe("admin");
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: member.id, role: "member" })).toEqual({
        ok: true,
        changed: true,
      });
      expect((await findSessionUser(db, member.tokens[0], DAYS))?.role).toBe("member");
      expect((await eventsOf("user-role-changed")).slice(-2).map((e) => e.message)).toEqual([
        `admin changed the role of ${member.username} from member to admin`,
        `admin changed the role of ${member.username} from admin to member`,
      ]);
    });

    it("never demotes the last active admin, themself included", async () => {
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: admin.id, role: "member" })).toEqual({
        ok: false,
        reason: "LAST_ADMIN",
      });
      expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");

      // A deactivated admin does not count as the family's admin.
      const dormant = await makeUser("admin");
      await db.user.update({ where: { id: dormant.id }, data: { active: false } });
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: admin.id, role: "member" })).toMatchObject({
        ok: false,
        reason: "LAST_ADMIN",
      });

      // With another active admin, demoting oneself is allowed.
      const other = await makeUser("admin");
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: admin.id, role: "member" })).toMatchObject({
        ok: true,
      });
      expect(await db.user.count({ where: { familyId, role: "admin", active: true } })).toBe(1);
      expect(await changeUserRole(db, { familyId, actor: "x", userId: other.id, role: "member" })).toMatchObject({
        ok: false,
        reason: "LAST_ADMIN",
      });
    });

    it("two admins demoting each other at the same moment leave one admin, not none", async () => {
      const other = await makeUser("admin");
      // On PostgreSQL a second client is a second connection, so the two really overlap:
      // the first holds the family's lock while it demotes `other` and waits before COMMIT;
      // the second, demoting `admin`, must wait for it and then see that `other` is no admin.
      const second = engine === "postgresql" ? await createPrismaClient(database.target) : db;
      try {
        let locked!: () => void;
        const holding = new Promise<void>((resolve) => (locked = resolve));
        const first = second.$transaction(async (tx) => {
          await lockFamily(tx, familyId);
          await tx.user.update({ where: { id: other.id }, data: { role: "member" } });
          locked();
          await new Promise((resolve) => setTimeout(resolve, 300));
        });
        if (engine === "postgresql") await holding;
        const demoteAdmin = await changeUserRole(db, {
          familyId,
          actor: other.username,
          userId: admin.id,
          role: "member",
        });
        await first;
        expect(demoteAdmin).toEqual({ ok: false, reason: "LAST_ADMIN" });
        expect(await db.user.count({ where: { familyId, role: "admin", active: true } })).toBe(1);
      } finally {
        if (second !== db) await second.$disconnect();
      }
    });

    it("does not touch a user of another family", async () => {
      const otherFamily = await db.family.create({ data: { name: "Neighbours" } });
      const stranger = await db.user.create({
        data: { familyId: otherFamily.id, username: `stranger-${++serial}`, passwordHash: "x", role: "member" },
      });
      expect(await changeUserRole(db, { familyId, actor: "admin", userId: stranger.id, role: "admin" })).toEqual({
        ok: false,
        reason: "USER_NOT_FOUND",
      });
      expect(await setUserActive(db, { familyId, actor: admin, userId: stranger.id, active: false })).toMatchObject({
        ok: false,
        reason: "USER_NOT_FOUND",
      });
      expect(
        await resetUserPassword(db, { familyId, actor: admin, userId: stranger.id, password: "hijacked-1" }),
      ).toMatchObject({ ok: false, reason: "USER_NOT_FOUND" });
      expect(await db.user.findUniqueOrThrow({ where: { id: stranger.id } })).toMatchObject({
        role: "member",
        active: true,
        passwordHash: "x",
      });
      expect((await listUsers(db, familyId)).some((u) => u.id === stranger.id)).toBe(false);
    });
  });

  describe("resetUserPassword", () => {
    it("sets the new password and ends every session of that user at once, and only theirs", async () => {
      const member = await makeUser("member", 2);
      const bystander = await makeUser("member", 1);
      expect(await sessionsOf(member.id)).toBe(2);

      const result = await resetUserPassword(db, {
        familyId,
        actor: admin,
        userId: member.id,
        password: "brand-new-password",
      });
      expect(result).toEqual({ ok: true, sessionsEnded: 2 });
      expect(await sessionsOf(member.id)).toBe(0);
      for (const token of member.tokens) expect(await findSessionUser(db, token, DAYS)).toBeNull();
      expect(await sessionsOf(bystander.id)).toBe(1);
      expect(await authenticate(db, member.username, member.password)).toBeNull();
      expect(await authenticate(db, member.username, "brand-new-password")).toMatchObject({ id: member.id });
      const event = (await eventsOf("user-password-reset")).at(-1);
      expect(event?.message).toBe(`admin reset the password of ${member.username}; 2 session(s) ended`);
      expect(event?.message).not.toContain("brand-new-password");
    });

    it("refuses the admin's own password (that needs the current one) and changes nothing", async () => {
      const { token } = await createSession(db, admin.id, DAYS);
      expect(
        await resetUserPassword(db, { familyId, actor: admin, userId: admin.id, password: "sneaky-password" }),
      ).toEqual({ ok: false, reason: "SELF_RESET" });
      expect(await findSessionUser(db, token, DAYS)).not.toBeNull();
      expect(await authenticate(db, "admin", ADMIN_PASSWORD)).not.toBeNull();
    });

    it("from the command line resets any user, an admin too, and says so in the event", async () => {
      const other = await makeUser("admin", 1);
      const result = await resetUserPassword(db, {
        familyId,
        actor: "command-line",
        userId: other.id,
        password: "operator-set-password",
      });
      expect(result).toEqual({ ok: true, sessionsEnded: 1 });
      for (const token of other.tokens) expect(await findSessionUser(db, token, DAYS)).toBeNull();
      expect(await authenticate(db, other.username, "operator-set-password")).toMatchObject({ id: other.id });
      const event = (await eventsOf("user-password-reset")).at(-1);
      expect(event?.message).toBe(`password of ${other.username} reset from the command line; 1 session(s) ended`);
    });
  });

  describe("setUserActive", () => {
    it("deactivating ends the user's sessions at once and blocks sign-in; reactivating lets them back", async () => {
      const member = await makeUser("member", 3);
      const result = await setUserActive(db, { familyId, actor: admin, userId: member.id, active: false });
      expect(result).toEqual({ ok: true, changed: true, sessionsEnded: 3 });
      expect(await sessionsOf(member.id)).toBe(0);
      for (const token of member.tokens) expect(await findSessionUser(db, token, DAYS)).toBeNull();
      expect(await authenticate(db, member.username, member.password)).toBeNull();
      expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).active).toBe(false);
      // Still listed (never deleted), as deactivated.
      expect((await listUsers(db, familyId)).find((u) => u.id === member.id)?.active).toBe(false);

      expect(await setUserActive(db, { familyId, actor: admin, userId: member.id, active: true })).toEqual({
        ok: true,
        changed: true,
        sessionsEnded: 0,
      });
      expect(await authenticate(db, member.username, member.password)).toMatchObject({ id: member.id });
      expect((await eventsOf("user-deactivated")).at(-1)?.message).toBe(
        `admin deactivated ${member.username}; 3 session(s) ended`,
      );
      expect((await eventsOf("user-reactivated")).at(-1)?.message).toBe(`admin reactivated ${member.username}`);
    });

    it("an admin cannot deactivate themself, nor anyone the last active admin", async () => {
      const { token } = await createSession(db, admin.id, DAYS);
      expect(await setUserActive(db, { familyId, actor: admin, userId: admin.id, active: false })).toEqual({
        ok: false,
        reason: "SELF_DEACTIVATION",
      });
      expect(await findSessionUser(db, token, DAYS)).not.toBeNull();

      // Another admin acting on the bootstrap admin, who is then the last active admin:
      const other = await makeUser("admin");
      expect(await setUserActive(db, { familyId, actor: admin, userId: other.id, active: false })).toMatchObject({
        ok: true,
      });
      expect(await setUserActive(db, { familyId, actor: other, userId: admin.id, active: false })).toEqual({
        ok: false,
        reason: "LAST_ADMIN",
      });
      expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).active).toBe(true);
    });
  });

  describe("changeOwnPassword", () => {
    it("refuses a wrong current password and changes nothing", async () => {
      const member = await makeUser("member", 2);
      const hash = (await db.user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash;
      expect(
        await changeOwnPassword(db, {
          userId: member.id,
          currentPassword: "not-my-password",
          newPassword: "new-password-1",
          sessionDays: DAYS,
        }),
      ).toEqual({ ok: false, reason: "WRONG_PASSWORD" });
      expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash).toBe(hash);
      expect(await sessionsOf(member.id)).toBe(2);
    });

    it("ends every other session and replaces the current one with a new token", async () => {
      const member = await makeUser("member", 3);
      const [current, ...others] = member.tokens;
      const bystander = await makeUser("member", 1);

      const result = await changeOwnPassword(db, {
        userId: member.id,
        currentPassword: member.password,
        newPassword: "new-password-1",
        sessionDays: DAYS,
      });
      if (!result.ok) throw new Error(result.reason);
      expect(result.sessionsEnded).toBe(2);
      // One session left: the new one, under a token none of the old cookies carry.
      const rows = await db.session.findMany({ where: { userId: member.id } });
      expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(result.session.token)]);
      expect(member.tokens).not.toContain(result.session.token);
      expect(await findSessionUser(db, result.session.token, DAYS)).toMatchObject({ id: member.id });
      for (const token of [current, ...others]) expect(await findSessionUser(db, token, DAYS)).toBeNull();
      expect(result.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + (DAYS - 1) * 86_400_000);
      expect(await sessionsOf(bystander.id)).toBe(1);

      expect(await authenticate(db, member.username, member.password)).toBeNull();
      expect(await authenticate(db, member.username, "new-password-1")).toMatchObject({ id: member.id });
      expect((await eventsOf("password-changed")).at(-1)?.message).toBe(
        `${member.username} changed their password; 2 other session(s) ended`,
      );
    });

    it("a deactivated user cannot change their password", async () => {
      const member = await makeUser("member");
      await db.user.update({ where: { id: member.id }, data: { active: false } });
      expect(
        await changeOwnPassword(db, {
          userId: member.id,
          currentPassword: member.password,
          newPassword: "new-password-1",
          sessionDays: DAYS,
        }),
      ).toEqual({ ok: false, reason: "USER_NOT_FOUND" });
    });
  });

  describe("signIn through the throttle", () => {
    it("refuses a throttled username without checking its password, even the right one", async () => {
      const member = await makeUser("member");
      const throttle = createLoginThrottle({ maxFailuresPerUsername: 3, maxFailuresPerAddress: 100, windowMs: 60_000 });
      let checks = 0;
      const counting: typeof authenticate = (...args) => {
        checks++;
        return authenticate(...args);
      };
      const attempt = (password: string, address = "203.0.113.1") =>
        signIn(db, throttle, { username: member.username, password, address }, counting);

      for (let i = 0; i < 3; i++)
        expect(await attempt("wrong-password")).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
      expect(checks).toBe(3);
      expect(await attempt(member.password)).toMatchObject({ ok: false, reason: "THROTTLED", limit: "username" });
      expect(await attempt(member.password, "198.51.100.2")).toMatchObject({ reason: "THROTTLED" });
      expect(checks).toBe(3); // no scrypt for throttled attempts
      expect(await sessionsOf(member.id)).toBe(0);
    });

    it("an unknown username is throttled exactly like a real one (nothing tells them apart)", async () => {
      const throttle = createLoginThrottle({ maxFailuresPerUsername: 2, maxFailuresPerAddress: 100, windowMs: 60_000 });
      const member = await makeUser("member");
      const outcomes = async (username: string) => {
        const out = [];
        for (let i = 0; i < 3; i++) {
          const r = await signIn(db, throttle, { username, password: "wrong-password", address: "192.0.2.1" });
          out.push(r.ok ? "ok" : r.reason === "THROTTLED" ? `THROTTLED:${r.limit}` : r.reason);
        }
        return out;
      };
      expect(await outcomes("nobody-by-this-name")).toEqual(await outcomes(member.username));
    });

    it("a success clears the username's failures", async () => {
      const member = await makeUser("member");
      const throttle = createLoginThrottle({ maxFailuresPerUsername: 3, maxFailuresPerAddress: 100, windowMs: 60_000 });
      const attempt = (password: string) =>
        signIn(db, throttle, { username: member.username, password, address: "203.0.113.1" });
      await attempt("wrong-1");
      await attempt("wrong-2");
      expect(await attempt(member.password)).toMatchObject({ ok: true, user: { id: member.id } });
      for (let i = 0; i < 3; i++) expect(await attempt("wrong-again")).toMatchObject({ reason: "INVALID_CREDENTIALS" });
      expect(await attempt(member.password)).toMatchObject({ reason: "THROTTLED" });
    });
  });

  describe("last sign-in", () => {
    it("a sign-in's session sets users.last_sign_in_at, shown by listUsers; a refused sign-in leaves it", async () => {
      const member = await makeUser("member");
      const throttle = createLoginThrottle({ maxFailuresPerUsername: 5, maxFailuresPerAddress: 100, windowMs: 60_000 });
      const attempt = (password: string) =>
        signIn(db, throttle, { username: member.username, password, address: "203.0.113.1" });
      // Read with the engine's own driver: SQLite holds Prisma's ISO text, PostgreSQL a timestamp.
      const stored = async () => {
        const [row] = await querySql<{ last_sign_in_at: string | Date | null }>(
          database.target,
          "SELECT last_sign_in_at FROM users WHERE id = ?",
          [member.id],
        );
        return row?.last_sign_in_at == null ? null : new Date(row.last_sign_in_at).getTime();
      };
      const listed = async () => (await listUsers(db, familyId, { id: member.id }))[0]?.lastSignInAt ?? null;

      expect(await stored()).toBeNull();
      expect(await listed()).toBeNull();
      expect(await attempt("wrong-password")).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
      expect(await stored()).toBeNull();

      const before = Date.now();
      const first = await attempt(member.password);
      if (!first.ok) throw new Error(first.reason);
      const { token } = await createSignInSession(db, first.user.id, DAYS);
      const firstAt = await stored();
      expect(firstAt).toBeGreaterThanOrEqual(before);
      expect(firstAt).toBeLessThanOrEqual(Date.now());
      expect((await listed())?.getTime()).toBe(firstAt);
      expect(await findSessionUser(db, token, DAYS)).toMatchObject({ id: member.id });
      expect(await sessionsOf(member.id)).toBe(1);

      // Signing in again moves it on, even while the first session is still open.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await attempt(member.password);
      if (!second.ok) throw new Error(second.reason);
      await createSignInSession(db, second.user.id, DAYS);
      expect(await stored()).toBeGreaterThan(firstAt!);
      expect(await sessionsOf(member.id)).toBe(2);
    });
  });
});
