"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { signIn as checkSignIn } from "@/lib/auth/sign-in";
import { throttleMessage } from "@/lib/auth/throttle-messages";
import { getDb } from "@/lib/app/live-database";
import { startSession } from "@/lib/web/auth";
import { getClientAddress } from "@/lib/web/client-address";
import { getLoginThrottle } from "@/lib/web/login-throttle";
import { restoreInProgress } from "@/lib/web/maintenance";
import { LoginSchema, translateLoginErrors, type LoginState } from "./login-schema";

export async function signIn(_prevState: LoginState, formData: FormData): Promise<LoginState> {
  const t = await getTranslations();
  const username = String(formData.get("username") ?? "");
  const parsed = LoginSchema.safeParse({ username, password: String(formData.get("password") ?? "") });
  if (!parsed.success) {
    return { errors: translateLoginErrors(z.flattenError(parsed.error).fieldErrors, t), message: null, username };
  }

  if (restoreInProgress()) return { message: t("Common.restoreInProgress"), username };
  const result = await checkSignIn(await getDb(), getLoginThrottle(), {
    username: parsed.data.username,
    password: parsed.data.password,
    address: await getClientAddress(),
  });
  if (!result.ok) {
    if (result.reason !== "THROTTLED") return { message: t("Login.errors.invalid"), username };
    const { key, values } = throttleMessage("signIns", result.limit, result.retryAfterMs);
    return { message: t(`Throttle.${key}`, values), username };
  }

  const started = await startSession(result.user.id);
  if (!started.ok) return { message: started.message, username };
  redirect("/");
}
