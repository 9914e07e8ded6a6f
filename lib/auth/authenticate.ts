import type { Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { RoleSchema, type SessionUser } from "./sessions.ts";

// Verified against when the username does not exist, so a missing user costs the same time
// as a wrong password and the response time does not tell which part was wrong.
let dummyHash: Promise<string> | undefined;

export async function authenticate(db: Db, username: string, password: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { username } });
  if (!user || !user.active) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  const role = RoleSchema.safeParse(user.role);
  if (!role.success) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: role.data,
    familyId: user.familyId,
  };
}
