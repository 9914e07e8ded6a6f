import { z } from "zod";

import type { Messages } from "@/lib/i18n/messages";
import { NewPasswordSchema } from "@/lib/web/new-password-schema";

/** The keys of `Account.errors` in the messages: what the schema's own messages are. */
export type AccountErrorKey = keyof Messages["Account"]["errors"];
const key = (k: AccountErrorKey) => k;

export const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: key("currentRequired") })
      .min(1, key("currentRequired"))
      .max(1000, key("currentWrong")),
  })
  .and(NewPasswordSchema);

export type ChangePasswordState = {
  errors?: { currentPassword?: string[]; password?: string[]; confirmPassword?: string[] };
  message?: string | null;
  /** After a success: how many other sessions ended. */
  done?: { sessionsEnded: number; at: number };
};
