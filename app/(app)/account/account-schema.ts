import { z } from "zod";

import { NewPasswordSchema } from "@/lib/web/new-password-schema";

export const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(1000, "That is not your current password."),
  })
  .and(NewPasswordSchema);

export type ChangePasswordState = {
  errors?: { currentPassword?: string[]; password?: string[]; confirmPassword?: string[] };
  message?: string | null;
  /** After a success: how many other sessions ended. */
  done?: { sessionsEnded: number; at: number };
};
