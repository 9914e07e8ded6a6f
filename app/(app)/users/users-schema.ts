import { z } from "zod";

import type { Messages } from "@/lib/i18n/messages";
import { NewPasswordSchema } from "@/lib/web/new-password-schema";

/** The keys of `UserForm.errors` in the messages: what the schema's own messages are. */
export type UserFormErrorKey = keyof Messages["UserForm"]["errors"];
const key = (k: UserFormErrorKey) => k;

// A bad id or role on the manage page is not the user's doing (a hidden field or a forged
// post): the actions answer "That user no longer exists." without reading these messages.
const userId = z.coerce.number().int().positive();
const role = z.enum(["member", "admin"], { error: key("roleRequired") });

export const UsernameSchema = z
  .string({ error: key("usernameRequired") })
  .trim()
  // An empty or short name gets one message, not also the characters' rule.
  .min(1, { error: key("usernameRequired"), abort: true })
  .min(3, { error: key("usernameTooShort"), abort: true })
  .max(32, key("usernameTooLong"))
  .regex(/^[a-z0-9._-]+$/, key("usernameCharacters"));

/** Adding a user. With "generate", the action puts the generated password in both fields. */
export const AddUserSchema = z
  .object({
    username: UsernameSchema,
    displayName: z
      .string()
      .trim()
      .max(60, key("displayNameTooLong"))
      .transform((v) => v || null),
    role,
  })
  .and(NewPasswordSchema);

export const ChangeRoleSchema = z.object({ userId, role });

export const ResetPasswordSchema = z.object({ userId }).and(NewPasswordSchema);

export const SetActiveSchema = z.object({
  userId,
  active: z.enum(["true", "false"]).transform((v) => v === "true"),
});

export type PasswordMode = "type" | "generate";

export type AddUserState = {
  errors?: Partial<Record<"username" | "displayName" | "role" | "password" | "confirmPassword", string[]>>;
  message?: string | null;
  /** What was typed (never a password), so a refused form keeps it. */
  values?: { username: string; displayName: string; role: string; passwordMode: PasswordMode };
  /** After a success: who was added and, when it was generated, their password — shown once. */
  added?: { username: string; generatedPassword?: string; at: number };
};

export type ChangeRoleState = { message?: string | null; savedAt?: number };

export type ResetPasswordState = {
  errors?: { password?: string[]; confirmPassword?: string[] };
  message?: string | null;
  done?: { sessionsEnded: number; at: number };
};

export type SetActiveState = { message?: string | null };
