"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/app/live-database";
import { saveAccountOrCategory, setAccountOrCategoryArchived } from "@/lib/finance/save-account-or-category";
import { requireAdmin } from "@/lib/web/auth";
import { formText } from "@/lib/web/form-data";
import { writeThroughGate } from "@/lib/web/maintenance";
import {
  ArchiveFormSchema,
  NameFormSchema,
  translateNameErrors,
  type ArchiveFormState,
  type NameFormState,
} from "./accounts-schema";

function revalidateAll() {
  revalidatePath("/");
  revalidatePath("/accounts");
  revalidatePath("/transactions");
  revalidatePath("/transactions/new");
}

/** Creates an account or category (no id posted) or renames one. Admins only. */
export async function saveName(_prevState: NameFormState, formData: FormData): Promise<NameFormState> {
  const user = await requireAdmin();
  const t = await getTranslations();
  const values = { name: formText(formData, "name") };
  const parsed = NameFormSchema.safeParse({
    kind: formText(formData, "kind"),
    id: formText(formData, "id"),
    name: values.name,
  });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return errors.name
      ? { errors: translateNameErrors({ name: errors.name }, t), values }
      : { message: t("Accounts.itemNotFound"), values };
  }
  const { kind, id, name } = parsed.data;

  const written = await writeThroughGate(
    async () => saveAccountOrCategory(await getDb(), { familyId: user.familyId, kind, id, name }),
    { doing: `saving a ${kind}`, message: t("Accounts.saveFailed", { kind }) },
  );
  if (!written.ok) return { message: written.message, values };
  const result = written.value;
  if (!result.ok) {
    return result.reason === "NAME_TAKEN"
      ? { errors: { name: [t("Accounts.errors.nameTaken", { kind })] }, values }
      : { message: t("Accounts.gone", { kind }), values };
  }
  revalidateAll();
  return { savedAt: Date.now(), message: null, values: id === undefined ? { name: "" } : { name } };
}

/** Archives or reopens an account or category. Admins only; nothing is deleted. */
export async function setArchived(_prevState: ArchiveFormState, formData: FormData): Promise<ArchiveFormState> {
  const user = await requireAdmin();
  const t = await getTranslations();
  const parsed = ArchiveFormSchema.safeParse({
    kind: formData.get("kind"),
    id: formData.get("id"),
    archived: formData.get("archived"),
  });
  if (!parsed.success) return { message: t("Accounts.itemNotFound") };

  const changed = await writeThroughGate(
    async () => setAccountOrCategoryArchived(await getDb(), { familyId: user.familyId, ...parsed.data }),
    { doing: "archiving", message: t("Accounts.changeFailed") },
  );
  if (!changed.ok) return { message: changed.message };
  if (!changed.value) return { message: t("Accounts.itemGone") };
  revalidateAll();
  return { message: null };
}
