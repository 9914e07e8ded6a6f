"use client";

import { useLocale, useTranslations } from "next-intl";
import { LanguagesIcon } from "lucide-react";

import { setLocale } from "@/app/locale/actions";
import { LOCALES, LOCALE_NAMES } from "@/lib/i18n/locales";
import { cn } from "@/lib/utils";

/** A labelled select; choosing a language submits at once and the page re-renders in it. */
export function LocaleSwitcher({ className }: { className?: string }) {
  const t = useTranslations("Common");
  const locale = useLocale();
  return (
    <form action={setLocale} className={cn("flex items-center gap-1.5", className)}>
      <LanguagesIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      <label htmlFor="locale-switcher" className="sr-only">
        {t("language")}
      </label>
      <select
        id="locale-switcher"
        name="locale"
        defaultValue={locale}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="h-8 rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </form>
  );
}
