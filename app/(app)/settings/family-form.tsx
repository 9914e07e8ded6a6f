"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CheckIcon } from "lucide-react";

import { FormMessage } from "@/components/form-message";
import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectOption } from "@/components/ui/select";

import { saveFamilySettings } from "./family-actions";
import type { FamilySettingsState, FamilySettingsValues } from "./family-schema";

export function FamilyForm({
  family,
  currencies,
  timeZones,
}: {
  family: FamilySettingsValues;
  /** Each code with its name, named on the server (see FamilySection). */
  currencies: { code: string; name: string }[];
  timeZones: string[];
}) {
  const t = useTranslations("FamilySettings");
  const [state, formAction, pending] = useActionState(saveFamilySettings, {} as FamilySettingsState);
  const values = state.values ?? family;

  return (
    // Keyed on the outcome so a refused form shows what was typed and a saved one the stored values.
    <form key={`${state.savedAt ?? 0}`} action={formAction} className="grid gap-5 sm:max-w-md" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="family-name">{t("name")}</Label>
        <Input
          id="family-name"
          name="name"
          required
          maxLength={100}
          defaultValue={values.name}
          aria-invalid={state.errors?.name ? true : undefined}
          aria-describedby="family-name-error"
        />
        <FieldError id="family-name-error" errors={state.errors?.name} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="family-currency">{t("currency")}</Label>
        <Select
          id="family-currency"
          name="currency"
          defaultValue={values.currency}
          aria-invalid={state.errors?.currency ? true : undefined}
          aria-describedby="family-currency-hint family-currency-error"
        >
          {currencies.map(({ code, name }) => (
            <SelectOption key={code} value={code}>
              {code} — {name}
            </SelectOption>
          ))}
        </Select>
        <p id="family-currency-hint" className="text-sm text-muted-foreground">
          {t("currencyHint")}
        </p>
        <FieldError id="family-currency-error" errors={state.errors?.currency} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="family-time-zone">{t("timeZone")}</Label>
        <Select
          id="family-time-zone"
          name="timeZone"
          defaultValue={values.timeZone}
          aria-invalid={state.errors?.timeZone ? true : undefined}
          aria-describedby="family-time-zone-hint family-time-zone-error"
        >
          {timeZones.map((zone) => (
            <SelectOption key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </SelectOption>
          ))}
        </Select>
        <p id="family-time-zone-hint" className="text-sm text-muted-foreground">
          {t("timeZoneHint")}
        </p>
        <FieldError id="family-time-zone-error" errors={state.errors?.timeZone} />
      </div>
      <FormMessage message={state.message}>
        {state.savedAt && (
          <p className="flex items-center gap-2 text-sm" role="status">
            <CheckIcon className="size-4 shrink-0" aria-hidden="true" />
            {t("saved")}
          </p>
        )}
      </FormMessage>
      <div>
        <Button type="submit" disabled={pending}>
          {t("save")}
        </Button>
      </div>
    </form>
  );
}
