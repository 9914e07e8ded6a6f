import type { Db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import type { Role } from "../auth/sessions.ts";

export type NewUser = {
  familyId: number;
  /** Username of the admin adding the user, for the event log. */
  actor: string;
  username: string;
  displayName: string | null;
  role: Role;
  password: string;
};

export type AddUserResult = { ok: true; id: number } | { ok: false; reason: "USERNAME_TAKEN" };

/**
 * Adds a user to the family. Usernames are unique across the whole database (the login form
 * asks for nothing else); the unique index has the last word when two admins pick the same
 * name at the same moment, on either engine.
 */
export async function addUser(db: Db, input: NewUser): Promise<AddUserResult> {
  const taken = await db.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (taken) return { ok: false, reason: "USERNAME_TAKEN" };
  const passwordHash = await hashPassword(input.password);
  try {
    const id = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          familyId: input.familyId,
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
        },
        select: { id: true },
      });
      await tx.event.create({
        data: { kind: "user-added", message: `${input.actor} added ${input.username} as ${input.role}` },
      });
      return user.id;
    });
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "USERNAME_TAKEN" };
    throw error;
  }
}

/** Prisma's P2002, from either generated client (each has its own error classes). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
