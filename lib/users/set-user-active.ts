import type { Db } from "../db/client.ts";
import { hasOtherActiveAdmin, lockFamily } from "./family-lock.ts";

export type SetUserActiveResult =
  | { ok: true; changed: boolean; sessionsEnded: number }
  | { ok: false; reason: "USER_NOT_FOUND" | "SELF_DEACTIVATION" | "LAST_ADMIN" };

/**
 * Deactivates a user of the family (their sessions end at once and they can no longer sign
 * in) or reactivates them. Users are never deleted: their transactions refer to them. An
 * admin cannot deactivate themself, and the family's last active admin stays active.
 */
export async function setUserActive(
  db: Db,
  input: { familyId: number; actor: { id: number; username: string }; userId: number; active: boolean },
): Promise<SetUserActiveResult> {
  if (!input.active && input.userId === input.actor.id) return { ok: false, reason: "SELF_DEACTIVATION" };
  return db.$transaction(async (tx) => {
    await lockFamily(tx, input.familyId);
    const user = await tx.user.findFirst({
      where: { id: input.userId, familyId: input.familyId },
      select: { username: true, role: true, active: true },
    });
    if (!user) return { ok: false, reason: "USER_NOT_FOUND" } as const;
    if (user.active === input.active) return { ok: true, changed: false, sessionsEnded: 0 } as const;
    if (!input.active && user.role === "admin" && !(await hasOtherActiveAdmin(tx, input.familyId, input.userId))) {
      return { ok: false, reason: "LAST_ADMIN" } as const;
    }
    await tx.user.update({ where: { id: input.userId }, data: { active: input.active } });
    // A deactivated user's sessions are refused anyway (findSessionUser); deleting them
    // makes that true even for a copy of the database.
    const { count } = input.active ? { count: 0 } : await tx.session.deleteMany({ where: { userId: input.userId } });
    await tx.event.create({
      data: input.active
        ? { kind: "user-reactivated", message: `${input.actor.username} reactivated ${user.username}` }
        : {
            kind: "user-deactivated",
            message: `${input.actor.username} deactivated ${user.username}; ${count} session(s) ended`,
          },
    });
    return { ok: true, changed: true, sessionsEnded: count } as const;
  });
}
