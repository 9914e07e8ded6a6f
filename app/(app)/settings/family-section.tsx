import { getTranslations } from "next-intl/server";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listTimeZones } from "@/lib/time-zone";
import type { FamilySummary } from "@/lib/finance/get-family";

import { FamilyForm } from "./family-form";

// The currencies families ask for most come first; every other ISO 4217 code follows.
const FIRST = ["BRL", "EUR", "USD", "GBP", "ARS", "CAD", "CHF", "JPY", "AUD", "MXN", "CLP", "COP", "UYU", "PYG"];

/** The settings page's family card: name, currency, time zone (admins only: the page checks). */
export async function FamilySection({ family }: { family: FamilySummary }) {
  const t = await getTranslations("FamilySettings");
  const all = Intl.supportedValuesOf("currency");
  const currencies = [...FIRST.filter((c) => all.includes(c)), ...all.filter((c) => !FIRST.includes(c))];
  // A stored value this Node does not list stays selectable, so saving the form keeps it.
  if (!currencies.includes(family.currency)) currencies.unshift(family.currency);
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
          currencies={currencies}
          timeZones={listTimeZones()}
        />
      </CardContent>
    </Card>
  );
}
