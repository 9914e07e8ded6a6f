"use server";

import { redirect } from "next/navigation";
import { z } from "zod";

import { authenticate } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db/live";
import { startSession } from "@/lib/web/auth";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, restoreInProgress } from "@/lib/web/maintenance";
import { INVALID_CREDENTIALS, LoginSchema, type LoginState } from "./login-schema";

export async function signIn(_prevState: LoginState, formData: FormData): Promise<LoginState> {
  const username = String(formData.get("username") ?? "");
  const parsed = LoginSchema.safeParse({ username, password: String(formData.get("password") ?? "") });
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, message: null, username };
  }

  if (restoreInProgress()) return { message: RESTORE_IN_PROGRESS_MESSAGE, username };
  const user = await authenticate(await getDb(), parsed.data.username, parsed.data.password);
  if (!user) return { message: INVALID_CREDENTIALS, username };

  try {
    await startSession(user.id);
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE, username };
    throw error;
  }
  redirect("/");
}
