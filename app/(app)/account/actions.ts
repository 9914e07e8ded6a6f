"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { throttleMessage } from "@/lib/auth/throttle-messages";
import { getDb } from "@/lib/app/live-database";
import { getEnv } from "@/lib/env";
import { MESSAGES } from "@/lib/i18n/messages";
import { changeOwnPassword } from "@/lib/users/change-own-password";
import { requireUser, setSessionCookie } from "@/lib/web/auth";
import { getClientAddress } from "@/lib/web/client-address";
import { formText } from "@/lib/web/form-data";
import { getLoginThrottle } from "@/lib/web/login-throttle";
import { writeThroughGate } from "@/lib/web/maintenance";
import { translatePasswordFormErrors } from "@/lib/web/new-password-schema";
import { ChangePasswordSchema, type ChangePasswordState } from "./account-schema";

/**
 * Changes the signed-in user's password. Every other session of theirs ends, and this one is
 * replaced by a fresh session (new cookie), so no earlier copy of any cookie works any more.
 */
export async function changePassword(
  _prevState: ChangePasswordState,
  formData: FormData,
): Promise<ChangePasswordState> {
  const user = await requireUser();
  const t = await getTranslations();
  const parsed = ChangePasswordSchema.safeParse({
    currentPassword: formText(formData, "currentPassword"),
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.success) {
    return {
      errors: translatePasswordFormErrors(
        z.flattenError(parsed.error).fieldErrors,
        MESSAGES.en.Account.errors,
        (k) => t(`Account.errors.${k}`),
        (k) => t(`PasswordErrors.${k}`),
      ),
    };
  }

  // Guessing the current password here (with a stolen cookie) counts like failed sign-ins.
  const attempt = getLoginThrottle().attempt(user.username, await getClientAddress());
  if (!attempt.ok) {
    const { key, values } = throttleMessage("passwords", attempt.limit, attempt.retryAfterMs);
    return { errors: { currentPassword: [t(`Throttle.${key}`, values)] } };
  }

  const written = await writeThroughGate(
    async () =>
      changeOwnPassword(await getDb(), {
        userId: user.id,
        currentPassword: parsed.data.currentPassword,
        newPassword: parsed.data.password,
        sessionDays: getEnv().WIMM_SESSION_DAYS,
      }),
    { doing: "changing a password", message: t("Account.changeFailed") },
  );
  if (!written.ok) return { message: written.message };
  const result = written.value;
  if (!result.ok) {
    if (result.reason === "USER_NOT_FOUND") redirect("/login");
    return { errors: { currentPassword: [t(`UserRefusals.${result.reason}`)] } };
  }

  attempt.succeeded();
  await setSessionCookie(result.session.token);
  return { message: null, done: { sessionsEnded: result.sessionsEnded, at: Date.now() } };
}
