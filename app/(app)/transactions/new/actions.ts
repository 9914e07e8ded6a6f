"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/db/live";
import { createTransaction } from "@/lib/finance/create-transaction";
import { log } from "@/lib/log";
import { requireUser } from "@/lib/web/auth";
import { RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import {
  TransactionFormSchema,
  type TransactionFormState,
  readTransactionForm,
  translateTransactionErrors,
} from "./transaction-schema";

export async function addTransaction(
  _prevState: TransactionFormState,
  formData: FormData,
): Promise<TransactionFormState> {
  const user = await requireUser();
  const t = await getTranslations();

  const values = readTransactionForm(formData);
  const parsed = TransactionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      errors: translateTransactionErrors(z.flattenError(parsed.error).fieldErrors, t),
      message: t("TransactionForm.notAdded"),
      values,
    };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      createTransaction(await getDb(), {
        familyId: user.familyId,
        userId: user.id,
        accountId: parsed.data.accountId,
        categoryId: parsed.data.categoryId,
        amountCents: parsed.data.amount,
        description: parsed.data.description,
        date: parsed.data.date,
      }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: t("Common.restoreInProgress"), values };
    log("WEB", `adding a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: t("TransactionForm.saveFailed"), values };
  }
  if (!result.ok) {
    return result.reason === "ACCOUNT_NOT_FOUND"
      ? { errors: { accountId: [t("TransactionForm.errors.accountGone")] }, values }
      : { errors: { categoryId: [t("TransactionForm.errors.categoryGone")] }, values };
  }

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/");
}
