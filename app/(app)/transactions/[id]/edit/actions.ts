"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/db/live";
import { deleteTransaction } from "@/lib/finance/delete-transaction";
import { updateTransaction } from "@/lib/finance/update-transaction";
import { log } from "@/lib/log";
import { requireUser } from "@/lib/web/auth";
import { RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import {
  TransactionFormSchema,
  type TransactionFormState,
  readTransactionForm,
  translateTransactionErrors,
} from "../../new/transaction-schema";

const TransactionId = z.coerce.number().int().positive();

export type DeleteTransactionState = { message?: string | null };

export async function editTransaction(
  transactionId: number,
  _prevState: TransactionFormState,
  formData: FormData,
): Promise<TransactionFormState> {
  const user = await requireUser();
  const t = await getTranslations();
  const id = TransactionId.safeParse(transactionId);
  if (!id.success) return { message: t("TransactionForm.notFound") };

  const values = readTransactionForm(formData);
  const parsed = TransactionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      errors: translateTransactionErrors(z.flattenError(parsed.error).fieldErrors, t),
      message: t("TransactionForm.notChanged"),
      values,
    };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      updateTransaction(await getDb(), {
        familyId: user.familyId,
        id: id.data,
        accountId: parsed.data.accountId,
        categoryId: parsed.data.categoryId,
        amountCents: parsed.data.amount,
        description: parsed.data.description,
        date: parsed.data.date,
      }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: t("Common.restoreInProgress"), values };
    log("WEB", `editing a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: t("TransactionForm.saveFailed"), values };
  }
  if (!result.ok) {
    switch (result.reason) {
      case "TRANSACTION_NOT_FOUND":
        return { message: t("TransactionForm.gone"), values };
      case "ACCOUNT_NOT_FOUND":
        return { errors: { accountId: [t("TransactionForm.errors.accountGone")] }, values };
      case "CATEGORY_NOT_FOUND":
        return { errors: { categoryId: [t("TransactionForm.errors.categoryGone")] }, values };
    }
  }

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}

export async function removeTransaction(transactionId: number): Promise<DeleteTransactionState> {
  const user = await requireUser();
  const t = await getTranslations();
  const id = TransactionId.safeParse(transactionId);
  if (!id.success) return { message: t("TransactionForm.notFound") };

  let deleted: boolean;
  try {
    deleted = await withWriteGate(async () => deleteTransaction(await getDb(), user.familyId, id.data));
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: t("Common.restoreInProgress") };
    log("WEB", `deleting a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: t("EditTransaction.deleteFailed") };
  }
  if (!deleted) return { message: t("TransactionForm.gone") };

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}
