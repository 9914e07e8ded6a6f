import type { Db } from "../db/client.ts";
import type { Role } from "../auth/sessions.ts";
import { hasOtherActiveAdmin, lockFamily } from "./family-lock.ts";

export type ChangeUserRoleResult =
  { ok: true; changed: boolean } | { ok: false; reason: "USER_NOT_FOUND" | "LAST_ADMIN" };

/**
 * Makes a user of the family an admin or a member. The family always keeps an active admin:
 * the last one cannot be demoted, by anyone, themself included. A demoted admin's open
 * sessions stay, as members: every request reads the role afresh.
 */
export async function changeUserRole(
  db: Db,
  input: { familyId: number; actor: string; userId: number; role: Role },
): Promise<ChangeUserRoleResult> {
  return db.$transaction(async (tx) => {
    await lockFamily(tx, input.familyId);
    const user = await tx.user.findFirst({
      where: { id: input.userId, familyId: input.familyId },
      select: { username: true, role: true, active: true },
    });
    if (!user) return { ok: false, reason: "USER_NOT_FOUND" } as const;
    if (user.role === input.role) return { ok: true, changed: false } as const;
    if (user.role === "admin" && user.active && !(await hasOtherActiveAdmin(tx, input.familyId, input.userId))) {
      return { ok: false, reason: "LAST_ADMIN" } as const;
    }
    await tx.user.update({ where: { id: input.userId }, data: { role: input.role } });
    await tx.event.create({
      data: {
        kind: "user-role-changed",
        message: `${input.actor} changed the role of ${user.username} from ${user.role} to ${input.role}`,
      },
    });
    return { ok: true, changed: true } as const;
  });
}
