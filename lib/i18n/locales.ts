import Negotiator from "negotiator";

/** The languages the app speaks. English is the fallback for any other browser language. */
export const LOCALES = ["en", "pt-BR"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The cookie that keeps a choice made with the language switcher (it wins over the browser). */
export const LOCALE_COOKIE = "wimm_locale";

export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "pt-BR": "Português" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

// Bare "pt" is offered too so that pt-PT, pt-AO… (prefix "pt") land on Brazilian Portuguese
// rather than on English: Negotiator only matches a region against a bare language tag.
const OFFERED = ["en", "pt-BR", "pt"];

/**
 * The locale of a request: the switcher's cookie when it names a locale we have, else the
 * best match for the browser's Accept-Language (q-values respected), else English.
 */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const best = new Negotiator({ headers: { "accept-language": acceptLanguage } }).language(OFFERED);
  if (best === "pt") return "pt-BR";
  return isLocale(best) ? best : DEFAULT_LOCALE;
}
