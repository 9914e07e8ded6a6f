"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/app/live-database";
import { deleteTransaction } from "@/lib/finance/delete-transaction";
import { updateTransaction } from "@/lib/finance/update-transaction";
import { requireUser } from "@/lib/web/auth";
import { writeThroughGate } from "@/lib/web/maintenance";
import { saveTransactionForm } from "../../new/save-transaction-form";
import type { TransactionFormState } from "../../new/transaction-schema";

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

  const refused = await saveTransactionForm(formData, {
    notSaved: "notChanged",
    doing: "editing",
    write: (db, data) =>
      updateTransaction(db, {
        familyId: user.familyId,
        id: id.data,
        accountId: data.accountId,
        categoryId: data.categoryId,
        amountCents: data.amount,
        description: data.description,
        date: data.date,
      }),
  });
  if (refused) return refused;

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}

export async function removeTransaction(transactionId: number): Promise<DeleteTransactionState> {
  const user = await requireUser();
  const t = await getTranslations();
  const id = TransactionId.safeParse(transactionId);
  if (!id.success) return { message: t("TransactionForm.notFound") };

  const deleted = await writeThroughGate(async () => deleteTransaction(await getDb(), user.familyId, id.data), {
    doing: "deleting a transaction",
    message: t("EditTransaction.deleteFailed"),
  });
  if (!deleted.ok) return { message: deleted.message };
  if (!deleted.value) return { message: t("TransactionForm.gone") };

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}
