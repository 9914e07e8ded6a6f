"use server";

import { formText } from "@/lib/web/form-data";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { getDb } from "@/lib/db/live";
import { saveAccountOrCategory, setAccountOrCategoryArchived } from "@/lib/finance/save-account-or-category";
import { log } from "@/lib/log";
import { requireAdmin } from "@/lib/web/auth";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import { ArchiveFormSchema, NameFormSchema, type ArchiveFormState, type NameFormState } from "./accounts-schema";

function revalidateAll() {
  revalidatePath("/");
  revalidatePath("/accounts");
  revalidatePath("/transactions");
  revalidatePath("/transactions/new");
}

/** Creates an account or category (no id posted) or renames one. Admins only. */
export async function saveName(_prevState: NameFormState, formData: FormData): Promise<NameFormState> {
  const user = await requireAdmin();
  const values = { name: formText(formData, "name") };
  const parsed = NameFormSchema.safeParse({
    kind: formText(formData, "kind"),
    id: formText(formData, "id"),
    name: values.name,
  });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return errors.name ? { errors: { name: errors.name }, values } : { message: "That item does not exist.", values };
  }
  const { kind, id, name } = parsed.data;
  const noun = kind === "account" ? "account" : "category";

  let result;
  try {
    result = await withWriteGate(async () =>
      saveAccountOrCategory(await getDb(), { familyId: user.familyId, kind, id, name }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE, values };
    log("WEB", `saving a ${noun} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: `The ${noun} could not be saved. Please try again.`, values };
  }
  if (!result.ok) {
    return result.reason === "NAME_TAKEN"
      ? { errors: { name: [`There is already a ${noun} with that name.`] }, values }
      : { message: `That ${noun} no longer exists.`, values };
  }
  revalidateAll();
  return { savedAt: Date.now(), message: null, values: id === undefined ? { name: "" } : { name } };
}

/** Archives or reopens an account or category. Admins only; nothing is deleted. */
export async function setArchived(_prevState: ArchiveFormState, formData: FormData): Promise<ArchiveFormState> {
  const user = await requireAdmin();
  const parsed = ArchiveFormSchema.safeParse({
    kind: formData.get("kind"),
    id: formData.get("id"),
    archived: formData.get("archived"),
  });
  if (!parsed.success) return { message: "That item does not exist." };

  let changed: boolean;
  try {
    changed = await withWriteGate(async () =>
      setAccountOrCategoryArchived(await getDb(), { familyId: user.familyId, ...parsed.data }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE };
    log("WEB", `archiving failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: "The change could not be saved. Please try again." };
  }
  if (!changed) return { message: "That item no longer exists." };
  revalidateAll();
  return { message: null };
}
