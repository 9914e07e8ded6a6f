/**
 * next-intl's per-request configuration: which locale, which messages, which time zone.
 * Registered in next.config.ts (createNextIntlPlugin); the app has no locale in its URLs.
 */
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";

import { getCurrentUser } from "../web/auth.ts";
import { getCurrentFamily } from "../web/family.ts";
import { restoreInProgress } from "../web/maintenance.ts";
import { LOCALE_COOKIE, resolveLocale } from "./locales.ts";
import { MESSAGES } from "./messages.ts";
import { DEFAULT_TIME_ZONE } from "../time-zone.ts";

export default getRequestConfig(async () => {
  const locale = resolveLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  return { locale, messages: MESSAGES[locale], timeZone: await familyTimeZone() };
});

/**
 * The signed-in family's zone, for "today" and for times shown (a transaction's date is a
 * calendar day and is always read in UTC). Signed out, or while a restore holds the
 * database, there is no family to ask: UTC.
 */
async function familyTimeZone(): Promise<string> {
  if (restoreInProgress()) return DEFAULT_TIME_ZONE;
  const user = await getCurrentUser();
  if (!user) return DEFAULT_TIME_ZONE;
  return (await getCurrentFamily(user.familyId)).timeZone;
}
