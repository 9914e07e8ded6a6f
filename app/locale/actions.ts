"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";

import { LOCALES, LOCALE_COOKIE } from "@/lib/i18n/locales";

const LocaleSchema = z.enum(LOCALES);

/**
 * The language switcher. Open to everyone, signed in or not (the login page has it too); it
 * writes nothing but its own cookie, so it needs no session and no write gate.
 */
export async function setLocale(formData: FormData): Promise<void> {
  const parsed = LocaleSchema.safeParse(formData.get("locale"));
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data, {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    maxAge: 365 * 86_400,
  });
  revalidatePath("/", "layout");
}
