import type { Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { createSession } from "../auth/sessions.ts";

export type ChangeOwnPasswordResult =
  | { ok: true; session: { token: string; expiresAt: Date }; sessionsEnded: number }
  | { ok: false; reason: "WRONG_PASSWORD" | "USER_NOT_FOUND" };

/**
 * A signed-in user changes their password, giving the current one. Every session of theirs
 * ends — the one in use too — and a fresh session is returned in its place, so whoever holds
 * a copy of any earlier cookie (this browser's included) is signed out, while the user stays
 * signed in with the new token.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: number; currentPassword: string; newPassword: string; sessionDays: number },
): Promise<ChangeOwnPasswordResult> {
  const user = await db.user.findFirst({
    where: { id: input.userId, active: true },
    select: { username: true, passwordHash: true },
  });
  if (!user) return { ok: false, reason: "USER_NOT_FOUND" };
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) return { ok: false, reason: "WRONG_PASSWORD" };
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Only over the hash that was checked: if it changed meanwhile (an admin's reset), the
    // password typed is no longer the current one.
    const { count: updated } = await tx.user.updateMany({
      where: { id: input.userId, active: true, passwordHash: user.passwordHash },
      data: { passwordHash },
    });
    if (updated !== 1) return { ok: false, reason: "WRONG_PASSWORD" } as const;
    const { count } = await tx.session.deleteMany({ where: { userId: input.userId } });
    const session = await createSession(tx, input.userId, input.sessionDays);
    const others = Math.max(0, count - 1); // the one in use was among them
    await tx.event.create({
      data: {
        kind: "password-changed",
        message: `${user.username} changed their password; ${others} other session(s) ended`,
      },
    });
    return { ok: true, session, sessionsEnded: others } as const;
  });
}
