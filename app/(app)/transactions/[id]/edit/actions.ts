"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";

import { getDb } from "@/lib/db/live";
import { deleteTransaction } from "@/lib/finance/delete-transaction";
import { updateTransaction } from "@/lib/finance/update-transaction";
import { log } from "@/lib/log";
import { requireUser } from "@/lib/web/auth";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import { TransactionFormSchema, type TransactionFormState, readTransactionForm } from "../../new/transaction-schema";

const TransactionId = z.coerce.number().int().positive();

export type DeleteTransactionState = { message?: string | null };

export async function editTransaction(
  transactionId: number,
  _prevState: TransactionFormState,
  formData: FormData,
): Promise<TransactionFormState> {
  const user = await requireUser();
  const id = TransactionId.safeParse(transactionId);
  if (!id.success) return { message: "That transaction does not exist." };

  const values = readTransactionForm(formData);
  const parsed = TransactionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors,
      message: "Some fields need attention. The transaction was not changed.",
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
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE, values };
    log("WEB", `editing a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: "The transaction could not be saved. Please try again.", values };
  }
  if (!result.ok) {
    switch (result.reason) {
      case "TRANSACTION_NOT_FOUND":
        return { message: "This transaction no longer exists.", values };
      case "ACCOUNT_NOT_FOUND":
        return { errors: { accountId: ["That account is closed or no longer exists. Choose another."] }, values };
      case "CATEGORY_NOT_FOUND":
        return { errors: { categoryId: ["That category is archived or no longer exists. Choose another."] }, values };
    }
  }

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}

export async function removeTransaction(transactionId: number): Promise<DeleteTransactionState> {
  const user = await requireUser();
  const id = TransactionId.safeParse(transactionId);
  if (!id.success) return { message: "That transaction does not exist." };

  let deleted: boolean;
  try {
    deleted = await withWriteGate(async () => deleteTransaction(await getDb(), user.familyId, id.data));
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE };
    log("WEB", `deleting a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: "The transaction could not be deleted. Please try again." };
  }
  if (!deleted) return { message: "This transaction no longer exists." };

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/transactions");
}
