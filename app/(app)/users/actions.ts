"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { generatePassword } from "@/lib/auth/password";
import { getDb } from "@/lib/app/live-database";
import { MESSAGES } from "@/lib/i18n/messages";
import { addUser } from "@/lib/users/add-user";
import { changeUserRole } from "@/lib/users/change-user-role";
import { resetUserPassword } from "@/lib/users/reset-user-password";
import { setUserActive } from "@/lib/users/set-user-active";
import { requireAdmin } from "@/lib/web/auth";
import { formText } from "@/lib/web/form-data";
import { writeThroughGate } from "@/lib/web/maintenance";
import { translatePasswordFormErrors } from "@/lib/web/new-password-schema";
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

// The translator of the whole message tree (no namespace).
type Translate = Awaited<ReturnType<typeof getTranslations<never>>>;

/** The form's errors (message keys from the schema) in the user's language. */
function translateErrors<Field extends string>(t: Translate, fieldErrors: Partial<Record<Field, string[]>>) {
  return translatePasswordFormErrors(
    fieldErrors,
    MESSAGES.en.UserForm.errors,
    (k) => t(`UserForm.errors.${k}`),
    (k) => t(`PasswordErrors.${k}`),
  );
}

function revalidateUsers() {
  revalidatePath("/users");
  revalidatePath("/users/[id]", "page");
}

/** Adds a member or admin to the family, with a typed or a generated password. Admins only. */
export async function createUser(_prevState: AddUserState, formData: FormData): Promise<AddUserState> {
  const admin = await requireAdmin();
  const t = await getTranslations();
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
    return {
      errors: translateErrors(t, z.flattenError(parsed.error).fieldErrors),
      message: t("UserForm.needsAttention"),
      values,
    };
  }

  const written = await writeThroughGate(
    async () =>
      addUser(await getDb(), {
        familyId: admin.familyId,
        actor: admin.username,
        username: parsed.data.username,
        displayName: parsed.data.displayName,
        role: parsed.data.role,
        password: parsed.data.password,
      }),
    { doing: "adding a user", message: t("Users.saveFailed") },
  );
  if (!written.ok) return { message: written.message, values };
  const result = written.value;
  if (!result.ok) return { errors: { username: [t(`UserRefusals.${result.reason}`)] }, values };

  revalidateUsers();
  return {
    message: null,
    added: { username: parsed.data.username, generatedPassword: generated, at: Date.now() },
  };
}

/** Makes a user an admin or a member; never the family's last active admin a member. Admins only. */
export async function changeRole(_prevState: ChangeRoleState, formData: FormData): Promise<ChangeRoleState> {
  const admin = await requireAdmin();
  const t = await getTranslations();
  const parsed = ChangeRoleSchema.safeParse({ userId: formText(formData, "userId"), role: formText(formData, "role") });
  if (!parsed.success) return { message: t("UserRefusals.USER_NOT_FOUND") };

  const written = await writeThroughGate(
    async () => changeUserRole(await getDb(), { familyId: admin.familyId, actor: admin.username, ...parsed.data }),
    { doing: "changing a role", message: t("Users.saveFailed") },
  );
  if (!written.ok) return { message: written.message };
  const result = written.value;
  if (!result.ok) return { message: t(`UserRefusals.${result.reason}`) };

  revalidateUsers();
  // An admin who made themself a member has no business on this page any more.
  if (parsed.data.userId === admin.id && parsed.data.role !== "admin") redirect("/");
  return { message: null, savedAt: Date.now() };
}

/** Sets another user's password and ends all their sessions. Admins only. */
export async function resetPassword(_prevState: ResetPasswordState, formData: FormData): Promise<ResetPasswordState> {
  const admin = await requireAdmin();
  const t = await getTranslations();
  const parsed = ResetPasswordSchema.safeParse({
    userId: formText(formData, "userId"),
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.success) {
    const { password, confirmPassword, userId } = z.flattenError(parsed.error).fieldErrors;
    return userId
      ? { message: t("UserRefusals.USER_NOT_FOUND") }
      : { errors: translateErrors(t, { password, confirmPassword }) };
  }

  const written = await writeThroughGate(
    async () =>
      resetUserPassword(await getDb(), {
        familyId: admin.familyId,
        actor: { id: admin.id, username: admin.username },
        userId: parsed.data.userId,
        password: parsed.data.password,
      }),
    { doing: "resetting a password", message: t("Users.saveFailed") },
  );
  if (!written.ok) return { message: written.message };
  const result = written.value;
  if (!result.ok) return { message: t(`UserRefusals.${result.reason}`) };

  revalidateUsers();
  return { message: null, done: { sessionsEnded: result.sessionsEnded, at: Date.now() } };
}

/** Deactivates a user (their sessions end at once) or reactivates them. Admins only. */
export async function setUserStatus(_prevState: SetActiveState, formData: FormData): Promise<SetActiveState> {
  const admin = await requireAdmin();
  const t = await getTranslations();
  const parsed = SetActiveSchema.safeParse({
    userId: formText(formData, "userId"),
    active: formText(formData, "active"),
  });
  if (!parsed.success) return { message: t("UserRefusals.USER_NOT_FOUND") };

  const written = await writeThroughGate(
    async () =>
      setUserActive(await getDb(), {
        familyId: admin.familyId,
        actor: { id: admin.id, username: admin.username },
        ...parsed.data,
      }),
    { doing: parsed.data.active ? "reactivating a user" : "deactivating a user", message: t("Users.saveFailed") },
  );
  if (!written.ok) return { message: written.message };
  const result = written.value;
  if (!result.ok) return { message: t(`UserRefusals.${result.reason}`) };

  revalidateUsers();
  return { message: null };
}
