import type { Db } from "../db/client.ts";

export type UserSummary = {
  id: number;
  username: string;
  displayName: string | null;
  role: string;
  active: boolean;
  createdAt: Date;
  /** Latest use of any open session (renewed at most hourly); null with none open. */
  lastSeenAt: Date | null;
};

/** The family's users, admins first, then by username; with when each was last seen. */
export async function listUsers(db: Db, familyId: number, only?: { id: number }): Promise<UserSummary[]> {
  const users = await db.user.findMany({
    where: { familyId, ...(only ? { id: only.id } : {}) },
    select: { id: true, username: true, displayName: true, role: true, active: true, createdAt: true },
    orderBy: [{ role: "asc" }, { username: "asc" }],
  });
  if (users.length === 0) return [];
  const seen = await db.session.groupBy({
    by: ["userId"],
    where: { userId: { in: users.map((u) => u.id) } },
    _max: { lastSeenAt: true },
  });
  const lastSeen = new Map(seen.map((s) => [s.userId, s._max.lastSeenAt]));
  return users.map((u) => ({ ...u, lastSeenAt: lastSeen.get(u.id) ?? null }));
}
