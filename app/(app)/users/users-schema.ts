import { z } from "zod";

import { NewPasswordSchema } from "@/lib/web/new-password-schema";

const userId = z.coerce.number({ error: "That user does not exist." }).int().positive();
const role = z.enum(["member", "admin"], { error: "Choose a role." });

export const UsernameSchema = z
  .string({ error: "Enter a username." })
  .trim()
  .min(3, "Use at least 3 characters.")
  .max(32, "Use at most 32 characters.")
  .regex(/^[a-z0-9._-]+$/, "Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_).");

/** Adding a user. With "generate", the action puts the generated password in both fields. */
export const AddUserSchema = z
  .object({
    username: UsernameSchema,
    displayName: z
      .string()
      .trim()
      .max(60, "Keep the display name to 60 characters.")
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
