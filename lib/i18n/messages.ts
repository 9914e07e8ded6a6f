/**
 * Every user-visible text, per locale, one JSON file per area of the app. English is the
 * reference: `messages.test.ts` fails when Portuguese misses a key, has an extra one, or
 * uses different {placeholders}.
 */
import enAccount from "./messages/en/account.json";
import enCommon from "./messages/en/common.json";
import enSettings from "./messages/en/settings.json";
import enFinance from "./messages/en/finance.json";
import enUsers from "./messages/en/users.json";
import ptAccount from "./messages/pt-BR/account.json";
import ptCommon from "./messages/pt-BR/common.json";
import ptSettings from "./messages/pt-BR/settings.json";
import ptFinance from "./messages/pt-BR/finance.json";
import ptUsers from "./messages/pt-BR/users.json";
import type { Locale } from "./locales.ts";

const en = { ...enCommon, ...enAccount, ...enFinance, ...enSettings, ...enUsers };
export type Messages = typeof en;

export const MESSAGES: Record<Locale, Messages> = {
  en,
  "pt-BR": { ...ptCommon, ...ptAccount, ...ptFinance, ...ptSettings, ...ptUsers },
};
