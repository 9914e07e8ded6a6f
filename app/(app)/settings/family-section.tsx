import { getLocale, getTranslations } from "next-intl/server";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listTimeZones } from "@/lib/time-zone";
import type { FamilySummary } from "@/lib/finance/get-family";

import { FamilyForm } from "./family-form";

// The currencies families ask for most come first; every other ISO 4217 code follows.
const FIRST = ["BRL", "EUR", "USD", "GBP", "ARS", "CAD", "CHF", "JPY", "AUD", "MXN", "CLP", "COP", "UYU", "PYG"];

/** The settings page's family card: name, currency, time zone (admins only: the page checks). */
export async function FamilySection({ family }: { family: FamilySummary }) {
  const [t, locale] = await Promise.all([getTranslations("FamilySettings"), getLocale()]);
  const all = Intl.supportedValuesOf("currency");
  const currencies = [...FIRST.filter((c) => all.includes(c)), ...all.filter((c) => !FIRST.includes(c))];
  // A stored value this Node does not list stays selectable, so saving the form keeps it.
  if (!currencies.includes(family.currency)) currencies.unshift(family.currency);
  // Named here, not in the form: the browser's ICU may not know a name the server's does (Node
  // 20's CLDR 48 names SLE, XCG and ZWG; Chromium 156 does not), and a label that differs
  // between the two fails React's hydration of the whole page, which then renders it afresh
  // and drops whatever the admin did meanwhile — a backup file chosen for a restore, say.
  const names = new Intl.DisplayNames([locale], { type: "currency" });
  const named = currencies.map((code) => ({ code, name: names.of(code) ?? code }));
  return (
    <Card aria-labelledby="family-settings-title">
      <CardHeader>
        <CardTitle>
          <h2 id="family-settings-title">{t("title")}</h2>
        </CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent>
        <FamilyForm
          family={{ name: family.name, currency: family.currency, timeZone: family.timeZone }}
          currencies={named}
          timeZones={listTimeZones()}
        />
      </CardContent>
    </Card>
  );
}
