import type { Db } from "../db/client.ts";

export type UserSummary = {
  id: number;
  username: string;
  displayName: string | null;
  role: string;
  active: boolean;
  createdAt: Date;
  /** The latest successful sign-in (users.last_sign_in_at); null for someone who never signed in. */
  lastSignInAt: Date | null;
};

/** The family's users, admins first, then by username; with when each last signed in. */
export async function listUsers(db: Db, familyId: number, only?: { id: number }): Promise<UserSummary[]> {
  return db.user.findMany({
    where: { familyId, ...(only ? { id: only.id } : {}) },
    select: {
      id: true,
      username: true,
      displayName: true,
      role: true,
      active: true,
      createdAt: true,
      lastSignInAt: true,
    },
    orderBy: [{ role: "asc" }, { username: "asc" }],
  });
}
