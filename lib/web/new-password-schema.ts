import { z } from "zod";

/** A new password and its confirmation, as every password form posts them. */
export const NewPasswordSchema = z
  .object({
    password: z
      .string({ error: "Enter a password." })
      .min(8, "Use at least 8 characters.")
      .max(200, "Use at most 200 characters."),
    confirmPassword: z.string({ error: "Repeat the password." }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    message: "The two passwords do not match.",
    path: ["confirmPassword"],
    // Also when other fields of a larger form failed, but not over a password already refused.
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === "password"),
  });
