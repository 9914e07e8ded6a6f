"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { tooManyPasswordAttemptsMessage } from "@/lib/auth/throttle-messages";
import { getDb } from "@/lib/db/live";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { changeOwnPassword } from "@/lib/users/change-own-password";
import { USER_REFUSALS } from "@/lib/users/messages";
import { requireUser, setSessionCookie } from "@/lib/web/auth";
import { getClientAddress } from "@/lib/web/client-address";
import { formText } from "@/lib/web/form-data";
import { getLoginThrottle } from "@/lib/web/login-throttle";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
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
  const parsed = ChangePasswordSchema.safeParse({
    currentPassword: formText(formData, "currentPassword"),
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.success) return { errors: z.flattenError(parsed.error).fieldErrors };

  // Guessing the current password here (with a stolen cookie) counts like failed sign-ins.
  const attempt = getLoginThrottle().attempt(user.username, await getClientAddress());
  if (!attempt.ok) {
    return { errors: { currentPassword: [tooManyPasswordAttemptsMessage(attempt.limit, attempt.retryAfterMs)] } };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      changeOwnPassword(await getDb(), {
        userId: user.id,
        currentPassword: parsed.data.currentPassword,
        newPassword: parsed.data.password,
        sessionDays: getEnv().WIMM_SESSION_DAYS,
      }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE };
    log("WEB", `changing a password failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: "The password could not be changed. Please try again." };
  }
  if (!result.ok) {
    if (result.reason === "USER_NOT_FOUND") redirect("/login");
    return { errors: { currentPassword: [USER_REFUSALS[result.reason]] } };
  }

  attempt.succeeded();
  await setSessionCookie(result.session.token);
  return { message: null, done: { sessionsEnded: result.sessionsEnded, at: Date.now() } };
}
