/**
 * Database-backed sessions. The cookie carries a random token; the database stores only its
 * SHA-256, so a copy of the database (a backup!) holds no usable session.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";

export const SESSION_COOKIE = "wimm_session";
export const RoleSchema = z.enum(["admin", "member"]);
export type Role = z.infer<typeof RoleSchema>;

export type SessionUser = {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  familyId: number;
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Anything that can write sessions: the client, or a transaction (a password change rotates inside one). */
export type SessionWriter = Pick<Db, "session">;

export async function createSession(
  db: SessionWriter,
  userId: number,
  days: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db.session.create({ data: { userId, tokenHash: hashToken(token), expiresAt } });
  return { token, expiresAt };
}

/**
 * A successful sign-in: a new session, and the user's last_sign_in_at set to now, in one
 * transaction (the users page shows when someone last signed in, which a session's
 * lastSeenAt cannot say once the session has ended).
 */
export async function createSignInSession(
  db: Db,
  userId: number,
  days: number,
): Promise<{ token: string; expiresAt: Date }> {
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
    return createSession(tx, userId, days);
  });
}

/**
 * The user behind a cookie token, or null when the token is unknown, expired or belongs to
 * a deactivated user. Sessions are renewed on use (sliding expiry) at most once an hour.
 */
export async function findSessionUser(db: Db, token: string | undefined, days: number): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || !session.user.active) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  const role = RoleSchema.safeParse(session.user.role);
  if (!role.success) return null;
  if (now - session.lastSeenAt.getTime() > 3_600_000) {
    await db.session.updateMany({
      where: { id: session.id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + days * 86_400_000) },
    });
  }
  const { user } = session;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: role.data,
    familyId: user.familyId,
  };
}

export async function deleteSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** After a restore every session ends, including any the backup carried. */
export async function deleteAllSessions(db: Db): Promise<number> {
  const { count } = await db.session.deleteMany({});
  return count;
}
