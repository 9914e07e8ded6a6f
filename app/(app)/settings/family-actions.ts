"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/app/live-database";
import { updateFamily } from "@/lib/finance/update-family";
import { requireAdmin } from "@/lib/web/auth";
import { MESSAGES } from "@/lib/i18n/messages";
import { translateFieldErrors } from "@/lib/web/field-errors";
import { formText } from "@/lib/web/form-data";
import { writeThroughGate } from "@/lib/web/maintenance";

import { FamilySettingsSchema, type FamilySettingsState } from "./family-schema";

export async function saveFamilySettings(_prev: FamilySettingsState, formData: FormData): Promise<FamilySettingsState> {
  const user = await requireAdmin();
  const t = await getTranslations();
  const values = {
    name: formText(formData, "name"),
    currency: formText(formData, "currency"),
    timeZone: formText(formData, "timeZone"),
  };
  const parsed = FamilySettingsSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors;
    const errors = translateFieldErrors(fieldErrors, MESSAGES.en.FamilySettings.errors, (key) =>
      t(`FamilySettings.errors.${key}`),
    );
    return { errors, values };
  }
  const saved = await writeThroughGate(async () => updateFamily(await getDb(), user.familyId, parsed.data));
  if (!saved.ok) return { message: saved.message, values };
  // Every page shows the name, amounts in the currency and "today" in the zone.
  revalidatePath("/", "layout");
  return { savedAt: Date.now(), values: parsed.data };
}
