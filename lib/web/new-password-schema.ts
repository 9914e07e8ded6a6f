import { z } from "zod";

import { MESSAGES, type Messages } from "../i18n/messages.ts";
import { translateFieldErrors } from "./field-errors.ts";

/** The keys of `PasswordErrors` in the messages (account.json): what this schema's messages are. */
export type PasswordErrorKey = keyof Messages["PasswordErrors"];
const key = (k: PasswordErrorKey) => k;

/** A new password and its confirmation, as every password form posts them. */
export const NewPasswordSchema = z
  .object({
    password: z
      .string({ error: key("passwordRequired") })
      .min(8, key("passwordTooShort"))
      .max(200, key("passwordTooLong")),
    confirmPassword: z.string({ error: key("confirmRequired") }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    message: key("mismatch"),
    path: ["confirmPassword"],
    // Also when other fields of a larger form failed, but not over a password already refused.
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === "password"),
  });

const PASSWORD_KEYS = MESSAGES.en.PasswordErrors;

/**
 * The errors of a form built on NewPasswordSchema, in the user's language: the password keys
 * from `PasswordErrors`, the form's own keys (with its `invalid`) from the form's namespace.
 */
export function translatePasswordFormErrors<Field extends string, Key extends string>(
  fieldErrors: Partial<Record<Field, string[]>>,
  formKeys: Readonly<Record<Key | "invalid", unknown>>,
  tForm: (key: Key | "invalid") => string,
  tPassword: (key: PasswordErrorKey) => string,
): Partial<Record<Field, string[]>> {
  return translateFieldErrors(fieldErrors, { ...formKeys, ...PASSWORD_KEYS }, (k) =>
    Object.hasOwn(PASSWORD_KEYS, k) ? tPassword(k as PasswordErrorKey) : tForm(k as Key | "invalid"),
  );
}
