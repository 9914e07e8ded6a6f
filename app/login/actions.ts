"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { signIn as checkSignIn } from "@/lib/auth/sign-in";
import { tooManySignInsMessage } from "@/lib/auth/throttle-messages";
import { getDb } from "@/lib/db/live";
import { startSession } from "@/lib/web/auth";
import { getClientAddress } from "@/lib/web/client-address";
import { getLoginThrottle } from "@/lib/web/login-throttle";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, restoreInProgress } from "@/lib/web/maintenance";
import { INVALID_CREDENTIALS, LoginSchema, type LoginState } from "./login-schema";

export async function signIn(_prevState: LoginState, formData: FormData): Promise<LoginState> {
  const username = String(formData.get("username") ?? "");
  const parsed = LoginSchema.safeParse({ username, password: String(formData.get("password") ?? "") });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: null, username };
  }

  if (restoreInProgress()) return { message: RESTORE_IN_PROGRESS_MESSAGE, username };
  const result = await checkSignIn(await getDb(), getLoginThrottle(), {
    username: parsed.data.username,
    password: parsed.data.password,
    address: await getClientAddress(),
  });
  if (!result.ok) {
    const message =
      result.reason === "THROTTLED" ? tooManySignInsMessage(result.limit, result.retryAfterMs) : INVALID_CREDENTIALS;
    return { message, username };
  }

  try {
    await startSession(result.user.id);
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE, username };
    throw error;
  }
  redirect("/");
}
