import type { Db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";

export type ResetUserPasswordResult =
  { ok: true; sessionsEnded: number } | { ok: false; reason: "USER_NOT_FOUND" | "SELF_RESET" };

/**
 * Who resets: an admin of the family (the users page), or whoever runs `./bin/wimm
 * reset-password` on the server — no user of the app, so nobody's own password to protect.
 */
export type PasswordResetActor = { id: number; username: string } | "command-line";

/**
 * An admin (or the command line) sets a user's password. Every session of that user ends in
 * the same transaction, so a cookie taken before the reset opens nothing afterwards. An
 * admin's own password is changed on the account page, where the current one is asked for.
 */
export async function resetUserPassword(
  db: Db,
  input: { familyId: number; actor: PasswordResetActor; userId: number; password: string },
): Promise<ResetUserPasswordResult> {
  const { actor } = input;
  if (actor !== "command-line" && input.userId === actor.id) return { ok: false, reason: "SELF_RESET" };
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({
      where: { id: input.userId, familyId: input.familyId },
      select: { username: true },
    });
    if (!user) return { ok: false, reason: "USER_NOT_FOUND" } as const;
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash } });
    const { count } = await tx.session.deleteMany({ where: { userId: input.userId } });
    await tx.event.create({
      data: {
        kind: "user-password-reset",
        message:
          actor === "command-line"
            ? `password of ${user.username} reset from the command line; ${count} session(s) ended`
            : `${actor.username} reset the password of ${user.username}; ${count} session(s) ended`,
      },
    });
    return { ok: true, sessionsEnded: count } as const;
  });
}
