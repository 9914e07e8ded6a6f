"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";

import { generatePassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/live";
import { log } from "@/lib/log";
import { addUser } from "@/lib/users/add-user";
import { changeUserRole } from "@/lib/users/change-user-role";
import { USER_REFUSALS } from "@/lib/users/messages";
import { resetUserPassword } from "@/lib/users/reset-user-password";
import { setUserActive } from "@/lib/users/set-user-active";
import { requireAdmin } from "@/lib/web/auth";
import { formText } from "@/lib/web/form-data";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import {
  AddUserSchema,
  ChangeRoleSchema,
  ResetPasswordSchema,
  SetActiveSchema,
  type AddUserState,
  type ChangeRoleState,
  type PasswordMode,
  type ResetPasswordState,
  type SetActiveState,
} from "./users-schema";

const NOT_FOUND = { message: USER_REFUSALS.USER_NOT_FOUND };

/** A failed write: the restore message, or a generic one (the driver's message goes to the log). */
function writeFailed(error: unknown, what: string): string {
  if (error instanceof RestoreInProgressError) return RESTORE_IN_PROGRESS_MESSAGE;
  log("WEB", `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  return "The change could not be saved. Please try again.";
}

function revalidateUsers() {
  revalidatePath("/users");
  revalidatePath("/users/[id]", "page");
}

/** Adds a member or admin to the family, with a typed or a generated password. Admins only. */
export async function createUser(_prevState: AddUserState, formData: FormData): Promise<AddUserState> {
  const admin = await requireAdmin();
  const passwordMode: PasswordMode = formText(formData, "passwordMode") === "generate" ? "generate" : "type";
  const values = {
    username: formText(formData, "username"),
    displayName: formText(formData, "displayName"),
    role: formText(formData, "role"),
    passwordMode,
  };
  const generated = passwordMode === "generate" ? generatePassword() : undefined;
  const parsed = AddUserSchema.safeParse({
    ...values,
    password: generated ?? formText(formData, "password"),
    confirmPassword: generated ?? formText(formData, "confirmPassword"),
  });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: "Some fields need attention.", values };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      addUser(await getDb(), {
        familyId: admin.familyId,
        actor: admin.username,
        username: parsed.data.username,
        displayName: parsed.data.displayName,
        role: parsed.data.role,
        password: parsed.data.password,
      }),
    );
  } catch (error) {
    return { message: writeFailed(error, "adding a user"), values };
  }
  if (!result.ok) return { errors: { username: [USER_REFUSALS[result.reason]] }, values };

  revalidateUsers();
  return {
    message: null,
    added: { username: parsed.data.username, generatedPassword: generated, at: Date.now() },
  };
}

/** Makes a user an admin or a member; never the family's last active admin a member. Admins only. */
export async function changeRole(_prevState: ChangeRoleState, formData: FormData): Promise<ChangeRoleState> {
  const admin = await requireAdmin();
  const parsed = ChangeRoleSchema.safeParse({ userId: formText(formData, "userId"), role: formText(formData, "role") });
  if (!parsed.success) return NOT_FOUND;

  let result;
  try {
    result = await withWriteGate(async () =>
      changeUserRole(await getDb(), { familyId: admin.familyId, actor: admin.username, ...parsed.data }),
    );
  } catch (error) {
    return { message: writeFailed(error, "changing a role") };
  }
  if (!result.ok) return { message: USER_REFUSALS[result.reason] };

  revalidateUsers();
  // An admin who made themself a member has no business on this page any more.
  if (parsed.data.userId === admin.id && parsed.data.role !== "admin") redirect("/");
  return { message: null, savedAt: Date.now() };
}

/** Sets another user's password and ends all their sessions. Admins only. */
export async function resetPassword(_prevState: ResetPasswordState, formData: FormData): Promise<ResetPasswordState> {
  const admin = await requireAdmin();
  const parsed = ResetPasswordSchema.safeParse({
    userId: formText(formData, "userId"),
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.success) {
    const { password, confirmPassword, userId } = z.flattenError(parsed.error).fieldErrors;
    return userId ? NOT_FOUND : { errors: { password, confirmPassword } };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      resetUserPassword(await getDb(), {
        familyId: admin.familyId,
        actor: { id: admin.id, username: admin.username },
        userId: parsed.data.userId,
        password: parsed.data.password,
      }),
    );
  } catch (error) {
    return { message: writeFailed(error, "resetting a password") };
  }
  if (!result.ok) return { message: USER_REFUSALS[result.reason] };

  revalidateUsers();
  return { message: null, done: { sessionsEnded: result.sessionsEnded, at: Date.now() } };
}

/** Deactivates a user (their sessions end at once) or reactivates them. Admins only. */
export async function setUserStatus(_prevState: SetActiveState, formData: FormData): Promise<SetActiveState> {
  const admin = await requireAdmin();
  const parsed = SetActiveSchema.safeParse({
    userId: formText(formData, "userId"),
    active: formText(formData, "active"),
  });
  if (!parsed.success) return NOT_FOUND;

  let result;
  try {
    result = await withWriteGate(async () =>
      setUserActive(await getDb(), {
        familyId: admin.familyId,
        actor: { id: admin.id, username: admin.username },
        ...parsed.data,
      }),
    );
  } catch (error) {
    return { message: writeFailed(error, parsed.data.active ? "reactivating a user" : "deactivating a user") };
  }
  if (!result.ok) return { message: USER_REFUSALS[result.reason] };

  revalidateUsers();
  return { message: null };
}
