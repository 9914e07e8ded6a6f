import { z } from "zod";

import { MESSAGES, type Messages } from "@/lib/i18n/messages";
import { translateFieldErrors } from "@/lib/web/field-errors";

/** The keys of `Login.errors` in the messages: what the schema's messages are. */
export type LoginErrorKey = keyof Messages["Login"]["errors"];
const key = (k: LoginErrorKey) => k;

// Too long to be anyone's: the same "invalid" as a wrong password, which must not tell which it was.
export const LoginSchema = z.object({
  username: z.string().trim().min(1, key("usernameRequired")).max(100, key("invalid")),
  password: z.string().min(1, key("passwordRequired")).max(1000, key("invalid")),
});

export type LoginState = {
  errors?: { username?: string[]; password?: string[] };
  message?: string | null;
  /** Echoed back so a failed attempt does not clear the username. */
  username?: string;
};

/** The fields' errors (message keys) in the user's language. */
export function translateLoginErrors(
  fieldErrors: NonNullable<LoginState["errors"]>,
  t: (key: `Login.errors.${LoginErrorKey}`) => string,
): NonNullable<LoginState["errors"]> {
  return translateFieldErrors(fieldErrors, MESSAGES.en.Login.errors, (k) => t(`Login.errors.${k}`));
}
